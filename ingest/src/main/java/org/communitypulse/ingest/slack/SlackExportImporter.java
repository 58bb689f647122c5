package org.communitypulse.ingest.slack;

import static org.communitypulse.ingest.webhook.internals.Payloads.optText;
import static org.communitypulse.ingest.webhook.internals.Payloads.text;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.communitypulse.ingest.EventSink;
import org.communitypulse.ingest.ImportException;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.ProgressListener;
import org.communitypulse.ingest.importing.FileImporter;
import org.communitypulse.ingest.importing.internals.ImportRun;
import org.communitypulse.ingest.importing.internals.JsonLines;
import org.communitypulse.ingest.internals.CountingInputStream;
import org.communitypulse.ingest.webhook.MalformedPayloadException;
import org.communitypulse.ingest.webhook.MappingResult;
import java.time.Instant;
import org.communitypulse.ingest.identity.IdentityObservations;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;

/**
 * Imports a Slack workspace export: a zip with {@code channels.json}, {@code users.json} and one folder per
 * channel (named after the channel) of daily files {@code YYYY-MM-DD.json}, each a JSON array of messages.
 *
 * <p>The zip is streamed twice and never unpacked: the first pass reads {@code channels.json} (folder name ->
 * channel id, the only state kept, one entry per channel) and {@code users.json}, stopping once it has both;
 * the second streams each daily
 * file with Jackson's streaming parser, one message object at a time. Each item is wrapped in the Events API
 * envelope the webhook would have delivered and mapped by {@link SlackPayloadMapper}, so ids agree with webhooks:
 * <ul>
 *   <li>messages and thread replies: {@code message} events, id {@code <channel id>/<ts>}, with the folder as
 *       attribute {@code channel_name};</li>
 *   <li>reactions (listed on each message with their users): {@code reaction_added}, id
 *       {@code <channel>/<ts>/<user>/<reaction>}; the export keeps no reaction time, so the message's is used;</li>
 *   <li>joins ({@code channel_join} messages): {@code member_joined_channel} with envelope id
 *       {@code export:<ts>}; a webhook join carries Slack's delivery id instead, so a join seen both ways counts
 *       twice (the export has no id Slack would also send);</li>
 *   <li>users: admin/owner roles and deactivations as {@code user_change} would give them.</li>
 * </ul>
 * Folders not listed in {@code channels.json} (private channels, direct messages) are skipped and counted.
 * A truncated zip imports every complete entry before the break and rejects the rest naming the entry.
 */
public final class SlackExportImporter implements FileImporter {

    static final String CHANNELS = "channels.json";
    static final String USERS = "users.json";
    private static final String IMPORT_EVENT_ID = "export";

    private final SlackPayloadMapper mapper;
    private final MemberPseudonymiser members;
    private final ObjectMapper json = new ObjectMapper();

    public SlackExportImporter(MemberPseudonymiser members) {
        this.mapper = new SlackPayloadMapper(Objects.requireNonNull(members, "members"));
        this.members = members;
        // The zip stream must stay open between entries.
        json.getFactory().disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
    }

    @Override
    public ImportSummary run(Path input, String communityId, EventSink sink, ProgressListener progress) {
        if (!Files.isRegularFile(input)) {
            throw new ImportException("No Slack export zip at " + input);
        }
        long size = JsonLines.size(input);
        // Progress follows the second pass, which reads the whole zip; the first usually stops early.
        ImportRun run = new ImportRun(communityId, sink, progress, size);
        String zipName = input.getFileName().toString();
        Map<String, String> channelIds = new HashMap<>();
        // Pass 1 stops once both lists are read and stays silent about a broken zip: pass 2 reads at least as
        // far and reports the break once.
        ZipPass first = new ZipPass(zipName, run, false);
        boolean sawChannels = first.read(input, (entry, parser) -> {
            if (entry.equals(CHANNELS)) {
                first.readArray(parser, entry, (line, channel) -> channelIds.put(text(channel, "name"),
                        text(channel, "id")));
                return true;
            }
            if (entry.equals(USERS)) {
                first.readArray(parser, entry, (line, user) -> {
                    run.mapRow(entry, line, () -> user(user, communityId));
                    observe(user, communityId, run);
                });
                return true;
            }
            return false;
        });
        if (!sawChannels) {
            run.summary().missingFile(CHANNELS);
        }
        ZipPass second = new ZipPass(zipName, run, true);
        second.read(input, (entry, parser) -> {
            int slash = entry.indexOf('/');
            if (slash <= 0 || !entry.endsWith(".json") || entry.indexOf('/', slash + 1) >= 0) {
                return false;
            }
            String folder = entry.substring(0, slash);
            String channel = channelIds.get(folder);
            if (channel == null) {
                run.summary().skipped("slack:folder not in channels.json");
                return false;
            }
            second.readArray(parser, entry,
                    (line, message) -> run.mapRow(entry, line, () -> message(message, channel, folder, communityId)));
            return true;
        });
        return run.finish();
    }

    /** Handles one zip entry; returns whether it was one of interest (for the missing-file check). */
    private interface EntryReader {
        boolean read(String entry, JsonParser parser) throws IOException;
    }

    /** Receives one object of a JSON array with its line. */
    private interface ElementHandler {
        void accept(long line, JsonNode element);
    }

    /** One streaming pass over the zip. */
    private final class ZipPass {
        private final String zipName;
        private final ImportRun run;
        private final boolean whole;
        private CountingInputStream counting;
        private long rows;

        /** {@code whole}: read every entry and report a broken zip; otherwise stop after the two lists. */
        ZipPass(String zipName, ImportRun run, boolean whole) {
            this.zipName = zipName;
            this.run = run;
            this.whole = whole;
        }

        /** Streams the zip, giving each entry to {@code reader}; returns whether {@code channels.json} was seen. */
        boolean read(Path input, EntryReader reader) {
            boolean sawChannels = false;
            boolean sawUsers = false;
            String entryName = "(start)";
            try (CountingInputStream in = new CountingInputStream(Files.newInputStream(input));
                 ZipInputStream zip = new ZipInputStream(new BufferedInputStream(in, 1 << 16))) {
                counting = in;
                try {
                    ZipEntry entry;
                    boolean any = false;
                    while ((entry = zip.getNextEntry()) != null) {
                        any = true;
                        entryName = entry.getName();
                        if (entry.isDirectory()) {
                            continue;
                        }
                        try (JsonParser parser = json.getFactory().createParser(zip)) {
                            reader.read(entryName, parser);
                        } catch (JsonProcessingException e) {
                            run.reject(entryName, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                                    "not valid JSON: " + e.getOriginalMessage());
                        }
                        sawChannels |= entryName.equals(CHANNELS);
                        sawUsers |= entryName.equals(USERS);
                        if (!whole && sawChannels && sawUsers) {
                            break;
                        }
                    }
                    if (!any && whole) {
                        run.reject(zipName, 0, "not a zip file, or an empty one (expected a Slack workspace export)");
                    }
                } catch (IOException e) {
                    if (whole) {
                        run.reject(zipName + "!" + entryName, 0,
                                "zip ends abruptly (truncated or corrupt archive?): " + e.getMessage());
                    }
                }
                if (whole) {
                    run.at(zipName, rows, in.count(), true);
                }
            } catch (IOException e) {
                throw new ImportException("Could not read " + input + ": " + e.getMessage(), e);
            }
            return sawChannels;
        }

        /** Streams a JSON array of objects; a non-array file or non-object element is rejected with its line. */
        void readArray(JsonParser parser, String entry, ElementHandler handler) throws IOException {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                run.reject(entry, parser.currentLocation().getLineNr(), "expected a JSON array");
                return;
            }
            long entryRows = 0;
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token == null) {
                    run.reject(entry, parser.currentLocation().getLineNr(), "array not closed (truncated file?)");
                    break;
                }
                long line = parser.currentLocation().getLineNr();
                JsonNode element = parser.readValueAsTree();
                entryRows++;
                rows++;
                if (element == null || !element.isObject()) {
                    run.reject(entry, line, "expected a JSON object");
                } else {
                    try {
                        handler.accept(line, element);
                    } catch (MalformedPayloadException e) {
                        run.reject(entry, line, e.getMessage());
                    }
                }
                if (whole) {
                    run.at(zipName, rows, counting.count(), false);
                }
            }
            // Rows per channel folder, not per daily file: a workspace has thousands of days.
            int slash = entry.indexOf('/');
            run.summary().rowsRead(slash > 0 ? entry.substring(0, slash + 1) : entry, entryRows);
        }
    }

    private MappingResult message(JsonNode message, String channel, String channelName, String communityId) {
        if (!"message".equals(optText(message, "type"))) {
            return MappingResult.unmapped("slack:" + optText(message, "type"));
        }
        String ts = text(message, "ts");
        if ("channel_join".equals(optText(message, "subtype"))) {
            ObjectNode join = JsonNodeFactory.instance.objectNode();
            join.put("type", "member_joined_channel");
            join.put("user", text(message, "user"));
            join.put("channel", channel);
            join.put("event_ts", ts);
            return mapper.map(null, envelope(join, "export:" + ts, ts), communityId, null);
        }
        // The element's tree is ours and used once: amend it in place rather than copy it.
        ObjectNode event = (ObjectNode) message;
        JsonNode reactions = event.remove("reactions");
        event.put("channel", channel);
        event.put("channel_type", "channel");
        // Events API messages name the channel by id only; the export also knows its name, for name-based rules.
        event.put("channel_name", channelName);
        MappingResult result = mapper.map(null, envelope(event, IMPORT_EVENT_ID, ts), communityId, null);
        if (reactions == null || !reactions.isArray() || reactions.isEmpty()) {
            return result;
        }
        var events = new java.util.ArrayList<>(result.events());
        for (JsonNode reaction : reactions) {
            String name = text(reaction, "name");
            for (JsonNode user : reaction.path("users")) {
                ObjectNode added = JsonNodeFactory.instance.objectNode();
                added.put("type", "reaction_added");
                added.put("user", user.asText());
                added.put("reaction", name);
                added.put("event_ts", ts);
                added.putObject("item").put("type", "message").put("channel", channel).put("ts", ts);
                events.addAll(mapper.map(null, envelope(added, IMPORT_EVENT_ID, ts), communityId, null).events());
            }
        }
        // A bot message with human reactions still yields the reactions.
        return events.isEmpty() ? result : MappingResult.mapped(events);
    }

    private MappingResult user(JsonNode user, String communityId) {
        ObjectNode change = JsonNodeFactory.instance.objectNode();
        change.put("type", "user_change");
        change.set("user", user);
        String updated = optText(user, "updated");
        return mapper.map(null, envelope(change, IMPORT_EVENT_ID, updated), communityId, null);
    }

    /** Identity evidence from the user's profile (docs/identity.md); its time is the profile's {@code updated}. */
    private void observe(JsonNode user, String communityId, ImportRun run) {
        if (!user.isObject() || !user.path("updated").canConvertToLong()) {
            return;
        }
        JsonNode profile = user.path("profile");
        String display = firstText(profile.path("display_name"), user.path("real_name"), profile.path("real_name"));
        IdentityObservations.observed(SourcePlatform.SLACK, members, communityId,
                new IdentityObservations.Profile(firstText(user.path("id")), firstText(user.path("name")), display,
                        firstText(profile.path("email")), user.path("is_email_confirmed").asBoolean(false)),
                Instant.ofEpochSecond(user.path("updated").asLong()), run.summary()).ifPresent(run::emit);
    }

    private static String firstText(JsonNode... nodes) {
        for (JsonNode node : nodes) {
            if (node.isTextual() && !node.asText().isBlank()) {
                return node.asText();
            }
        }
        return null;
    }

    /** The Events API envelope the webhook would deliver around {@code event}: the poller's records go through it too. */
    static ObjectNode envelope(ObjectNode event, String eventId, String eventTime) {
        ObjectNode envelope = JsonNodeFactory.instance.objectNode();
        envelope.put("type", "event_callback");
        envelope.put("event_id", eventId);
        envelope.put("event_time", eventTime);
        envelope.set("event", event);
        return envelope;
    }
}
