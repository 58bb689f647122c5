package org.communitypulse.ingest.webhook.internals;

import java.util.Map;

/**
 * Case-insensitive header lookup over a plain {@code Map}, because HTTP header names are case-insensitive and
 * servers and proxies disagree on how they normalise them.
 */
public final class HeaderLookup {

    /** Thrown when one header name matches several entries with different values. */
    public static final class AmbiguousHeaderException extends Exception {
        private static final long serialVersionUID = 1L;

        AmbiguousHeaderException(String name) {
            super("header " + name + " appears more than once with different values");
        }
    }

    private HeaderLookup() {
    }

    /**
     * {@code value} without leading and trailing HTTP optional whitespace (space and tab only; other control
     * characters are kept so that they make the value malformed instead of silently disappearing).
     */
    public static String stripOws(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && isOws(value.charAt(start))) {
            start++;
        }
        while (end > start && isOws(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(start, end);
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    /**
     * The value of header {@code name}, or {@code null} when absent.
     *
     * @throws AmbiguousHeaderException if differently-cased keys hold different values; picking one would let a
     *                                  proxy and this code disagree about which value was checked
     */
    public static String find(Map<String, String> headers, String name) throws AmbiguousHeaderException {
        String found = null;
        for (Map.Entry<String, String> entry : headers.entrySet()) {
            String key = entry.getKey();
            String value = entry.getValue();
            if (key == null || value == null || !stripOws(key).equalsIgnoreCase(name)) {
                continue;
            }
            if (found != null && !found.equals(value)) {
                throw new AmbiguousHeaderException(name);
            }
            found = value;
        }
        return found;
    }
}
