package org.communitypulse.ingest.webhook.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SignatureHexTest {

    @Test
    void shouldClassifyEveryCharLikeHexFormatWhenScanningAllChars() {
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            int result = SignatureHex.nibble((char) c);
            boolean hex = HexFormat.isHexDigit(c);
            assertThat((result & 0x100) == 0).as("char %d", c).isEqualTo(hex);
            if (hex) {
                assertThat(result).as("char %d", c).isEqualTo(HexFormat.fromHexDigit(c));
            }
        }
    }

    @Test
    void shouldDecodeMixedCaseWhenLengthMatches() {
        assertThat(SignatureHex.decode("00fFa5", 3)).containsExactly(0x00, 0xff, 0xa5);
    }

    @Test
    void shouldReturnNullWhenLengthWrongOrCharInvalid() {
        assertThat(SignatureHex.decode("00ff", 3)).isNull();
        assertThat(SignatureHex.decode("00ffa", 3)).isNull();
        assertThat(SignatureHex.decode("00ffaG", 3)).isNull();
        assertThat(SignatureHex.decode("\u0660\u0661ffaa", 3)).isNull();
    }
}
