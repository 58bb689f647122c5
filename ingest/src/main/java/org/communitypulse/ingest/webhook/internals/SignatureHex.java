package org.communitypulse.ingest.webhook.internals;

/**
 * Hex decoding whose running time depends only on the input length, not on which characters it holds, so a
 * forged signature leaks nothing through timing before the constant-time comparison.
 */
public final class SignatureHex {

    private static final int INVALID = 0x100;

    private SignatureHex() {
    }

    /**
     * Decodes exactly {@code byteCount} bytes from hex (upper or lower case).
     *
     * @return the bytes, or {@code null} if the length is wrong or any character is not a hex digit
     */
    public static byte[] decode(CharSequence hex, int byteCount) {
        // The length is public (it is fixed by the algorithm), so an early exit on it leaks nothing.
        if (hex.length() != 2 * byteCount) {
            return null;
        }
        byte[] out = new byte[byteCount];
        int invalid = 0;
        for (int i = 0; i < byteCount; i++) {
            int high = nibble(hex.charAt(2 * i));
            int low = nibble(hex.charAt(2 * i + 1));
            invalid |= high | low;
            out[i] = (byte) ((high << 4) | (low & 0xF));
        }
        return (invalid & INVALID) == 0 ? out : null;
    }

    /** Value of one hex digit, with bit 8 set when {@code c} is not one; branch-free. */
    static int nibble(char c) {
        int digit = c - '0';
        // (x | (9 - x)) is negative exactly when x is outside 0..9; the sign bit becomes the "outside" flag.
        int isDigit = ((digit | (9 - digit)) >>> 31) ^ 1;
        // Setting bit 5 folds 'A'..'F' onto 'a'..'f'; no other character lands there.
        int letter = (c | 0x20) - 'a';
        int isLetter = ((letter | (5 - letter)) >>> 31) ^ 1;
        int value = (digit & -isDigit) | ((letter + 10) & -isLetter);
        return value | (((isDigit | isLetter) ^ 1) << 8);
    }
}
