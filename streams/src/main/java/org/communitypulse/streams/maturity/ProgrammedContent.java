package org.communitypulse.streams.maturity;

import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;

/**
 * Which threads are programmed content (Content &amp; Programming): a THREAD_CREATED whose attributes match the
 * shipped {@code programmed_content} rule of maturity.yaml ({@code programmed = true} or a {@code kind} such as
 * {@code ama}, {@code event}, {@code newsletter}).
 */
public final class ProgrammedContent {

    private static final MaturityRules.ProgrammedContent RULE = MaturityRules.defaults().programmedContent();

    private ProgrammedContent() {
    }

    public static boolean isProgrammed(ActivityEvent event) {
        return event.getType() == EventType.THREAD_CREATED && RULE.matches(event.getAttributes());
    }
}
