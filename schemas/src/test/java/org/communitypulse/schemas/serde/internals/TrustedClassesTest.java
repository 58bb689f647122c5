package org.communitypulse.schemas.serde.internals;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.util.ClassSecurityValidator;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.junit.jupiter.api.Test;

class TrustedClassesTest {

    @Test
    void shouldTrustGeneratedRecordsAndNothingElseWhenInstalled() {
        TrustedClasses.install();
        TrustedClasses.install();

        assertThatCode(() -> ClassSecurityValidator.validate(ActivityEvent.class)).doesNotThrowAnyException();
        assertThatCode(() -> ClassSecurityValidator.validate(CommunityDayKey.class)).doesNotThrowAnyException();
        // A class a hostile writer schema could name: still refused.
        assertThatThrownBy(() -> ClassSecurityValidator.validate(ProcessBuilder.class))
                .isInstanceOf(SecurityException.class);
        assertThatThrownBy(() -> ClassSecurityValidator.validate(TrustedClassesTest.class))
                .isInstanceOf(SecurityException.class);
    }
}
