package org.communitypulse.ingest.identity;

import static org.communitypulse.ingest.internals.CsvRows.optional;
import static org.communitypulse.ingest.internals.CsvRows.required;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.communitypulse.ingest.EventIds;
import org.communitypulse.ingest.EventSink;
import org.communitypulse.ingest.ImportException;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.internals.CsvRows;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.schemas.IdentityAttributes;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;

/**
 * Imports an explicit identity mapping (CSV with a header row) as {@code IDENTITY_OBSERVED} events: every
 * row names a platform identity and the person it belongs to, and identities with the same {@code person}
 * become one member (link reason {@code MAPPING}).
 *
 * <p>Columns: {@code person, source, user_id} (required; {@code source} is a {@link SourcePlatform} name,
 * {@code user_id} the platform's own id, pseudonymised here exactly as the importers and webhooks do, so it
 * matches the actorId of that identity's events), and optionally {@code username}, {@code display_name},
 * {@code email}, {@code email_verified} ({@code true}/{@code false}, default false) and {@code mapped_at}
 * (ISO-8601 instant; default the time of the import). An email is published only as its keyed hash
 * ({@link MemberPseudonymiser#emailHash}), so a row with an email needs the pseudonymisation key.
 *
 * <p>Ids are stable (EventIds over the row's content), so re-importing a mapping publishes nothing new.
 * Malformed rows are rejected with their line number and reason; the rest is imported.
 */
public final class IdentityMappingImporter {

    static final Set<String> REQUIRED = Set.of("person", "source", "user_id");
    private static final SourcePlatform SOURCE = SourcePlatform.OTHER;

    private final MemberPseudonymiser members;
    private final Clock clock;

    public IdentityMappingImporter(MemberPseudonymiser members, Clock clock) {
        this.members = members;
        this.clock = clock;
    }

    public ImportSummary run(Path file, String communityId, EventSink sink) {
        long started = System.nanoTime();
        ImportSummary.Builder summary = new ImportSummary.Builder(communityId);
        String name = file.getFileName().toString();
        try (CsvRows rows = CsvRows.open(file)) {
            Set<String> header = rows.header();
            if (!header.containsAll(REQUIRED)) {
                throw new ImportException(name + ": header " + header + " lacks " + REQUIRED
                        + " (optional: username, display_name, email, email_verified, mapped_at)");
            }
            long count = rows.forEach((line, row) -> {
                try {
                    ActivityEvent event = event(communityId, row);
                    sink.send(event);
                    summary.event(event.getType());
                } catch (IllegalArgumentException | IllegalStateException e) {
                    summary.rejected(name, line, e.getMessage());
                }
            }, (line, reason) -> summary.rejected(name, line, reason));
            summary.rowsRead(name, count);
        } catch (IOException e) {
            throw new ImportException("cannot read " + file + ": " + e.getMessage(), e);
        }
        sink.flush();
        return summary.build(Duration.ofNanos(System.nanoTime() - started));
    }

    ActivityEvent event(String communityId, Map<String, String> row) {
        String person = required(row, "person");
        String sourceText = required(row, "source");
        SourcePlatform source;
        try {
            source = SourcePlatform.valueOf(sourceText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("source '" + sourceText + "' is not one of "
                    + java.util.Arrays.toString(SourcePlatform.values()));
        }
        String identity = members.apply(source, required(row, "user_id"));
        Map<String, String> attributes = new LinkedHashMap<>();
        // With a key the person id and names travel as keyed hashes (equal stays equal, so links and suggestions
        // are unchanged), like the member ids.
        attributes.put(IdentityAttributes.MAPPING_ID, members.person(person));
        putIfPresent(attributes, IdentityAttributes.USERNAME, members.name(optional(row, "username")));
        putIfPresent(attributes, IdentityAttributes.DISPLAY_NAME, members.name(optional(row, "display_name")));
        String email = optional(row, "email");
        if (email != null) {
            if (!email.contains("@")) {
                throw new IllegalArgumentException("email is not an address");
            }
            attributes.put(IdentityAttributes.EMAIL_HASH, members.emailHash(email));
            attributes.put(IdentityAttributes.EMAIL_VERIFIED, Boolean.toString(
                    "true".equalsIgnoreCase(optional(row, "email_verified"))));
        }
        Instant at = clock.instant();
        String mappedAt = optional(row, "mapped_at");
        if (mappedAt != null) {
            try {
                at = Instant.parse(mappedAt);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("mapped_at '" + mappedAt + "' is not an ISO-8601 instant");
            }
        }
        // The id covers what the row says (not when it was imported): the same row twice is one event.
        String item = person + '|' + source + '|' + identity + '|' + attributes;
        return ActivityEvent.newBuilder().setEventId(EventIds.of(SOURCE, communityId, "identity-mapping", item))
                .setCommunityId(communityId).setSource(source).setType(EventType.IDENTITY_OBSERVED)
                .setActorId(identity).setOccurredAt(at).setAttributes(attributes).build();
    }

    private static void putIfPresent(Map<String, String> attributes, String key, String value) {
        if (value != null) {
            attributes.put(key, value);
        }
    }
}
