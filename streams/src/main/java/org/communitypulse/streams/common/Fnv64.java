package org.communitypulse.streams.common;

/**
 * 64-bit FNV-1a, for the fingerprints of emitted records that decide whether a record changed: cheap, and over
 * the fields themselves rather than a serialised form of the record.
 */
public final class Fnv64 {

    /** The hash of nothing: start here and mix in each field. */
    public static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private Fnv64() {
    }

    /** Mixes in {@code s} and a separator, so that ("ab", "c") and ("a", "bc") differ. */
    public static long mix(long h, CharSequence s) {
        for (int j = 0; j < s.length(); j++) {
            h = (h ^ s.charAt(j)) * PRIME;
        }
        return (h ^ 0xff) * PRIME;
    }

    /** Mixes in the eight bytes of {@code v}. */
    public static long mix(long h, long v) {
        for (int shift = 0; shift < Long.SIZE; shift += Byte.SIZE) {
            h = (h ^ ((v >>> shift) & 0xff)) * PRIME;
        }
        return h;
    }
}
