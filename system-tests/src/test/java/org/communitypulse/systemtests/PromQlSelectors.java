package org.communitypulse.systemtests;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The series selectors of a PromQL expression (metric name and label matchers), for checking that a dashboard's
 * queries select something. Not a PromQL parser: it walks the tokens, skipping strings, range and subquery
 * brackets, function and aggregation names, operators and the label lists of {@code by}, {@code without}, {@code on},
 * {@code ignoring}, {@code group_left} and {@code group_right}; whatever identifier is left is a metric name.
 * Grafana template variables inside matcher values ({@code $var}, {@code ${var}}, {@code ${var:fmt}},
 * {@code [[var]]}) become {@code .*}, turning {@code =} into {@code =~} and {@code !=} into {@code !~}.
 */
final class PromQlSelectors {

    private static final Set<String> LABEL_LIST_KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right");
    /** Aggregations may put their by/without clause before the parenthesis: they are never metric names. */
    private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
            "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");
    private static final Set<String> OPERATOR_KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "atan2",
            "inf", "nan");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{[A-Za-z0-9_]+(?::[^}]*)?}|\\$[A-Za-z0-9_]+|\\[\\[[A-Za-z0-9_]+]]");

    /** One label matcher; {@code value} of a regex operator is the (anchored) regular expression. */
    record LabelMatcher(String label, String op, String value) {

        boolean matches(Map<String, String> labels) {
            // A label a series does not have is the empty string to PromQL.
            String actual = labels.getOrDefault(label, "");
            return switch (op) {
                case "=" -> actual.equals(value);
                case "!=" -> !actual.equals(value);
                case "=~" -> Pattern.compile(value).matcher(actual).matches();
                case "!~" -> !Pattern.compile(value).matcher(actual).matches();
                default -> throw new IllegalStateException(op);
            };
        }

        @Override
        public String toString() {
            return label + op + '"' + value + '"';
        }
    }

    /** A series selector: {@code metric} (null for {@code {__name__=...}}) and its label matchers. */
    record Selector(String metric, List<LabelMatcher> matchers) {

        boolean matches(String name, Map<String, String> labels) {
            if (metric != null && !metric.equals(name)) {
                return false;
            }
            Map<String, String> all = new java.util.HashMap<>(labels);
            all.put("__name__", name);
            return matchers.stream().allMatch(m -> m.matches(all));
        }

        @Override
        public String toString() {
            return (metric == null ? "" : metric) + matchers.stream().map(LabelMatcher::toString)
                    .collect(java.util.stream.Collectors.joining(", ", "{", "}"));
        }
    }

    private final String expr;
    private int pos;

    private PromQlSelectors(String expr) {
        this.expr = expr;
    }

    /** Every selector in {@code expr}, in order; fails on unbalanced brackets or malformed matchers. */
    static List<Selector> extract(String expr) {
        return new PromQlSelectors(expr).selectors();
    }

    private List<Selector> selectors() {
        List<Selector> found = new ArrayList<>();
        while (pos < expr.length()) {
            char c = expr.charAt(pos);
            if (c == '"' || c == '\'' || c == '`') {
                readString();
            } else if (c == '[') {
                skipBalanced('[', ']');
            } else if (c == '{') {
                found.add(new Selector(null, readMatchers()));
            } else if (Character.isDigit(c) || c == '.' && pos + 1 < expr.length() && Character.isDigit(expr.charAt(pos + 1))) {
                // Numbers and durations (5m, 1e3, 0x1f): one token, never a name.
                while (pos < expr.length() && (Character.isLetterOrDigit(expr.charAt(pos)) || expr.charAt(pos) == '.')) {
                    pos++;
                }
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                String word = readIdentifier();
                skipSpaces();
                if (LABEL_LIST_KEYWORDS.contains(word)) {
                    if (pos < expr.length() && expr.charAt(pos) == '(') {
                        skipBalanced('(', ')');
                    }
                } else if (AGGREGATIONS.contains(word)
                        || OPERATOR_KEYWORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
                    continue;
                } else if (pos < expr.length() && expr.charAt(pos) == '(') {
                    continue; // a function: its arguments are scanned like the rest
                } else if (pos < expr.length() && expr.charAt(pos) == '{') {
                    found.add(new Selector(word, readMatchers()));
                } else {
                    found.add(new Selector(word, List.of()));
                }
            } else if (c == '$') {
                throw new IllegalArgumentException("template variable outside a matcher value at " + pos + ": " + expr);
            } else {
                pos++;
            }
        }
        return found;
    }

    private List<LabelMatcher> readMatchers() {
        expect('{');
        List<LabelMatcher> matchers = new ArrayList<>();
        while (true) {
            skipSpaces();
            if (peek() == '}') {
                pos++;
                return matchers;
            }
            String label = readIdentifier();
            skipSpaces();
            String op;
            if (expr.startsWith("=~", pos) || expr.startsWith("!~", pos) || expr.startsWith("!=", pos)) {
                op = expr.substring(pos, pos + 2);
                pos += 2;
            } else {
                expect('=');
                op = "=";
            }
            skipSpaces();
            matchers.add(substituteVariables(label, op, readString()));
            skipSpaces();
            if (peek() == ',') {
                pos++;
            } else if (peek() != '}') {
                throw new IllegalArgumentException("expected , or } at " + pos + ": " + expr);
            }
        }
    }

    private static LabelMatcher substituteVariables(String label, String op, String value) {
        Matcher m = VARIABLE.matcher(value);
        if (!m.find()) {
            return new LabelMatcher(label, op, value);
        }
        boolean regex = op.endsWith("~");
        StringBuilder pattern = new StringBuilder();
        int last = 0;
        m.reset();
        while (m.find()) {
            String literal = value.substring(last, m.start());
            pattern.append(regex ? literal : Pattern.quote(literal)).append(".*");
            last = m.end();
        }
        String tail = value.substring(last);
        pattern.append(regex ? tail : Pattern.quote(tail));
        return new LabelMatcher(label, op.startsWith("!") ? "!~" : "=~", pattern.toString().replace("\\Q\\E", ""));
    }

    private String readIdentifier() {
        int start = pos;
        while (pos < expr.length() && (Character.isLetterOrDigit(expr.charAt(pos)) || expr.charAt(pos) == '_'
                || expr.charAt(pos) == ':')) {
            pos++;
        }
        if (start == pos) {
            throw new IllegalArgumentException("expected a name at " + pos + ": " + expr);
        }
        return expr.substring(start, pos);
    }

    /** A PromQL string literal, unescaped (raw for backticks). */
    private String readString() {
        char quote = peek();
        if (quote != '"' && quote != '\'' && quote != '`') {
            throw new IllegalArgumentException("expected a string at " + pos + ": " + expr);
        }
        pos++;
        StringBuilder value = new StringBuilder();
        while (pos < expr.length() && expr.charAt(pos) != quote) {
            char c = expr.charAt(pos++);
            if (c == '\\' && quote != '`' && pos < expr.length()) {
                char escaped = expr.charAt(pos++);
                value.append(switch (escaped) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> escaped;
                });
            } else {
                value.append(c);
            }
        }
        expect(quote);
        return value.toString();
    }

    private void skipBalanced(char open, char close) {
        int depth = 0;
        do {
            char c = peek();
            if (c == '"' || c == '\'' || c == '`') {
                readString();
                continue;
            }
            if (c == open) {
                depth++;
            } else if (c == close) {
                depth--;
            }
            pos++;
        } while (depth > 0);
    }

    private void skipSpaces() {
        while (pos < expr.length() && Character.isWhitespace(expr.charAt(pos))) {
            pos++;
        }
    }

    private char peek() {
        if (pos >= expr.length()) {
            throw new IllegalArgumentException("unexpected end of " + expr);
        }
        return expr.charAt(pos);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw new IllegalArgumentException("expected " + c + " at " + pos + ": " + expr);
        }
        pos++;
    }
}
