package org.communitypulse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.communitypulse.ingest.discourse.DiscoursePayloadMapper;
import org.communitypulse.ingest.stackexchange.DumpFile;
import org.communitypulse.ingest.stackexchange.RowOutcome;
import org.communitypulse.ingest.stackexchange.StackExchangeRowMapper;
import org.communitypulse.ingest.webhook.MappingResult;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.ingest.webhook.WebhookSecret;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Event mapping, the ingest side's hot code: a Stack Exchange dump row from its XML line to an event (the
 * backfill importer's per-row work, parse and map: {@link StackExchangeRowMapper#mapLine}), and a signed
 * Discourse webhook's body from bytes to an event with the member id pseudonymised (the receiver's
 * per-delivery work after the signature check).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MappingBenchmark {

    /** An answer as the dump writes it: the body is HTML, escaped, a few hundred characters as is typical. */
    private static final String ANSWER_ROW = "  <row Id=\"4211\" PostTypeId=\"2\" ParentId=\"4190\" "
            + "CreationDate=\"2014-05-06T07:08:09.123\" Score=\"3\" Body=\"&lt;p&gt;Check the cable tension first: "
            + "with the shifter in the smallest cog, the derailleur should sit under it with the cable just taut. "
            + "If it does not, turn the barrel adjuster &lt;em&gt;out&lt;/em&gt; half a turn at a time and shift "
            + "up one cog after each turn.&lt;/p&gt;&#xA;&#xA;&lt;p&gt;If the chain still hesitates, the hanger "
            + "may be bent; a shop can straighten it in minutes.&lt;/p&gt;&#xA;\" OwnerUserId=\"8812\" "
            + "LastActivityDate=\"2014-05-06T07:08:09.123\" CommentCount=\"2\" ContentLicense=\"CC BY-SA 3.0\" />";

    private static final byte[] POST_CREATED = ("{\"post\":{\"id\":5005,\"name\":\"Bob\",\"username\":\"bob\","
            + "\"created_at\":\"2024-05-02T10:01:12.004Z\",\"cooked\":\"<p>Set it in the admin panel.</p>\","
            + "\"post_number\":2,\"post_type\":1,\"updated_at\":\"2024-05-02T10:01:12.004Z\",\"reply_count\":0,"
            + "\"reply_to_post_number\":null,\"topic_id\":1001,\"topic_slug\":\"how-do-i-configure-the-thing\","
            + "\"topic_title\":\"How do I configure the thing?\",\"topic_archetype\":\"regular\",\"category_id\":5,"
            + "\"user_id\":43,\"raw\":\"Set it in the admin panel.\"}}").getBytes(StandardCharsets.UTF_8);

    private static final Instant RECEIVED_AT = Instant.parse("2024-05-02T10:01:13Z");

    private StackExchangeRowMapper rows;
    private DiscoursePayloadMapper webhooks;
    private ObjectMapper json;

    @Setup
    public void setUp() {
        // Every post belongs to question 4190 and is owned by 77: what the importer's indexes answer.
        rows = new StackExchangeRowMapper("bicycles.stackexchange", postId -> 4190, postId -> "77");
        webhooks = new DiscoursePayloadMapper(
                MemberPseudonymiser.keyed(WebhookSecret.of("jmh-pseudonymisation-key-0123456789")));
        json = new ObjectMapper();
    }

    @Benchmark
    public RowOutcome stackExchangeRow() {
        return rows.mapLine(DumpFile.POSTS, ANSWER_ROW);
    }

    @Benchmark
    public MappingResult discourseWebhook() throws IOException {
        JsonNode payload = json.readTree(POST_CREATED);
        return webhooks.map("post_created", payload, "forum.example", RECEIVED_AT);
    }
}
