package org.communitypulse.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.communitypulse.ingest.discourse.DiscoursePayloadMapper;
import org.communitypulse.ingest.github.GitHubPayloadMapper;
import org.communitypulse.ingest.http.PayloadMutations.Kind;
import org.communitypulse.ingest.http.PayloadMutations.Member;
import org.communitypulse.ingest.slack.SlackPayloadMapper;
import org.communitypulse.ingest.webhook.MalformedPayloadException;
import org.communitypulse.ingest.webhook.MappingResult;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.ingest.webhook.PayloadMapper;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.junit.jupiter.api.Test;

/**
 * Properties of the receiver over edited corpus payloads, all validly signed: a payload missing any member, or
 * holding null, a wrong type, an empty string, a huge or negative number, deep nesting, odd unicode, a long text
 * or a date outside Kafka's range there, is answered 2xx or 4xx with a reason, never 5xx, and a 2xx "accepted"
 * means its events were published.
 *
 * <p>Two halves, so the whole runs in well under a minute: every member of every payload edited in turn, checked
 * directly against the mapper (whose only allowed exception is {@link MalformedPayloadException}, which the
 * handler answers 400, and whose events must encode with their Avro schema, as Kafka's serializer would); and a
 * fixed-seed sample of edits per payload sent signed through the real server.
 */
class WebhookCorpusPropertyTest {

    /** Edits per payload sent over HTTP. */
    static final int EDITS_PER_PAYLOAD = 8;
    private static final Set<Kind> EVERY_MEMBER = EnumSet.of(Kind.DROP, Kind.NULL, Kind.WRONG_TYPE,
            Kind.EMPTY_STRING, Kind.HUGE_NUMBER, Kind.FAR_DATE, Kind.ANCIENT_DATE, Kind.EMPTY_OBJECT);
    private static final Instant NOW = Instant.parse("2026-12-07T08:00:00Z");

    private final Map<String, PayloadMapper> mappers = Map.of(
            "github", new GitHubPayloadMapper(MemberPseudonymiser.none()),
            "slack", new SlackPayloadMapper(MemberPseudonymiser.none()),
            "discourse", new DiscoursePayloadMapper(MemberPseudonymiser.none()));

    @Test
    void shouldOnlyMapOrRefuseAsMalformedWhenAnyMemberOfAnyCorpusPayloadIsDroppedOrReplaced() {
        Set<String> failures = new LinkedHashSet<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        int edits = 0;
        for (WebhookCorpus.Payload payload : WebhookCorpus.all()) {
            JsonNode root = payload.json();
            PayloadMapper mapper = mappers.get(payload.platform());
            String event = payload.platform().equals("slack") ? null : payload.event();
            Random random = new Random(payload.file().hashCode());
            for (Member member : PayloadMutations.members(root)) {
                for (Kind kind : EVERY_MEMBER) {
                    edits++;
                    PayloadMutations.withEdit(member, kind, random, () -> {
                        String outcome = mapDirectly(mapper, event, root);
                        outcomes.merge(outcome.startsWith("failure") ? "failure" : outcome, 1, Integer::sum);
                        if (outcome.startsWith("failure")) {
                            failures.add(payload + " " + kind + " " + member + ": " + outcome);
                        }
                    });
                }
            }
        }
        System.out.printf("Mapper edits: %d over the corpus, outcomes %s%n", edits, outcomes);
        assertThat(failures).isEmpty();
        assertThat(edits).isGreaterThan(100_000);
    }

    private static String mapDirectly(PayloadMapper mapper, String event, JsonNode payload) {
        MappingResult result;
        try {
            result = mapper.map(event, payload, "corpus", NOW);
        } catch (MalformedPayloadException e) {
            return "malformed";
        } catch (RuntimeException e) {
            return "failure " + e;
        }
        for (ActivityEvent mapped : result.events()) {
            try {
                mapped.toByteBuffer();
            } catch (IOException | RuntimeException e) {
                return "failure unencodable event: " + e;
            }
        }
        return result.isUnmapped() ? "unmapped" : "mapped";
    }

    @Test
    void shouldNeverAnswer5xxAndPublishWhatItAcceptsWhenSignedEditedPayloadsArriveOverHttp() {
        long started = System.nanoTime();
        int serial = 0;
        try (SignedDeliveries deliveries = new SignedDeliveries()) {
            for (WebhookCorpus.Payload payload : WebhookCorpus.all()) {
                JsonNode root = payload.json();
                List<Member> members = PayloadMutations.members(root);
                List<Member> shallow = members.stream().filter(m -> m.depth() <= 2).toList();
                Random random = new Random(31L * payload.file().hashCode() + payload.platform().hashCode());
                for (int i = 0; i < EDITS_PER_PAYLOAD; i++) {
                    if (payload.platform().equals("slack") && root instanceof ObjectNode envelope) {
                        // Slack's retries share the envelope's event_id; each edit is a new event.
                        envelope.put("event_id", "EvEDIT" + serial++);
                    }
                    // The mappers read shallow members; most edits go there.
                    List<Member> pool = random.nextInt(4) == 0 || shallow.isEmpty() ? members : shallow;
                    Member member = pool.get(random.nextInt(pool.size()));
                    Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
                    List<byte[]> body = new ArrayList<>(1);
                    PayloadMutations.withEdit(member, kind, random, () -> body.add(PayloadMutations.render(root)));
                    deliveries.send(payload, body.get(0), kind + " " + member);
                }
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("Edited corpus over HTTP: %d signed requests in %d ms, answers %s, %d events "
                    + "published%n", deliveries.sent, millis, deliveries.statuses, deliveries.published);
            assertThat(deliveries.failures).isEmpty();
            assertThat(deliveries.sent).isGreaterThan(3_000);
            // Both sides must be exercised: edits the receiver still maps and edits it refuses.
            assertThat(deliveries.statuses).containsKeys("200 accepted", "200 unmapped",
                    "400 rejected malformed_payload", "400 rejected malformed_json");
        }
    }
}
