package org.communitypulse.streams.maturity;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigException;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;

/**
 * Which threads are programmed content (Content &amp; Programming in docs/maturity.md): maturity.yaml's
 * {@code programmed_content} section. A THREAD_CREATED is programmed when any rule holds:
 * <ul>
 *   <li>{@code attribute}: its attribute of that name is {@code true} (any source);</li>
 *   <li>{@code kinds}: its {@code kind} attribute is listed (any source);</li>
 *   <li>{@code discourse}: its category, by id (the event's channel) or slug ({@code category} attribute), or one
 *       of its {@code tags} is listed;</li>
 *   <li>{@code slack}: its channel, by id (the event's channel) or name ({@code channel_name}, where the source
 *       names it), is listed;</li>
 *   <li>{@code github}: one of its {@code labels} or its {@code discussion_category} is listed;</li>
 *   <li>{@code stack_exchange}: one of its {@code tags} is listed.</li>
 * </ul>
 * The ingest mappers put these on the event (docs/webhooks.md, docs/importers.md), so the rules apply the same
 * live and in a replay. Names compare case-insensitively; an event without the field is simply not matched.
 */
public record ProgrammedContent(String attribute, List<String> kinds, Discourse discourse, Slack slack,
                                GitHub github, StackExchange stackExchange) {

    /** Discourse categories (id or slug) and tags set aside for programmed content. */
    public record Discourse(List<String> categories, List<String> tags) {
        public Discourse {
            categories = names(categories, "discourse.categories");
            tags = names(tags, "discourse.tags");
        }
    }

    /** Slack channels (id, or name with or without '#') set aside for programmed content. */
    public record Slack(List<String> channels) {
        public Slack {
            channels = names(channels, "slack.channels").stream().map(c -> c.startsWith("#") ? c.substring(1) : c)
                    .toList();
        }
    }

    /** GitHub labels and discussion categories set aside for programmed content. */
    public record GitHub(List<String> labels, List<String> discussionCategories) {
        public GitHub {
            labels = names(labels, "github.labels");
            discussionCategories = names(discussionCategories, "github.discussion_categories");
        }
    }

    /** Stack Exchange question tags set aside for programmed content (on a meta site: elections, contests, ads). */
    public record StackExchange(List<String> tags) {
        public StackExchange {
            tags = names(tags, "stack_exchange.tags");
        }
    }

    public ProgrammedContent {
        attribute = attribute == null || attribute.isBlank() ? null : attribute.trim();
        kinds = names(kinds, "kinds");
        discourse = discourse == null ? new Discourse(null, null) : discourse;
        slack = slack == null ? new Slack(null) : slack;
        github = github == null ? new GitHub(null, null) : github;
        stackExchange = stackExchange == null ? new StackExchange(null) : stackExchange;
    }

    /** No rule: nothing is programmed. */
    public static ProgrammedContent none() {
        return new ProgrammedContent(null, null, null, null, null, null);
    }

    /**
     * Whether {@code event} is a programmed thread. Only THREAD_CREATED can be: a reply in an events category
     * is conversation about the programme, not more of it.
     */
    public boolean isProgrammed(ActivityEvent event) {
        if (event == null || event.getType() != EventType.THREAD_CREATED) {
            return false;
        }
        Map<String, String> attributes = event.getAttributes() == null ? Map.of() : event.getAttributes();
        if (matches(attributes)) {
            return true;
        }
        SourcePlatform source = event.getSource();
        if (source == SourcePlatform.DISCOURSE) {
            return listed(discourse.categories(), event.getChannel(), attributes.get("category"))
                    || anyListed(discourse.tags(), attributes.get("tags"));
        }
        if (source == SourcePlatform.SLACK) {
            return listed(slack.channels(), event.getChannel(), attributes.get("channel_name"));
        }
        if (source == SourcePlatform.GITHUB) {
            return anyListed(github.labels(), attributes.get("labels"))
                    || listed(github.discussionCategories(), attributes.get("discussion_category"));
        }
        if (source == SourcePlatform.STACK_EXCHANGE) {
            return anyListed(stackExchange.tags(), attributes.get("tags"));
        }
        return false;
    }

    /**
     * The rules that need no platform field ({@code attribute}, {@code kinds}) on an event's attributes. Prefer
     * {@link #isProgrammed}, which also applies the per-platform rules.
     */
    boolean matches(Map<String, String> attributes) {
        if (attributes == null) {
            return false;
        }
        if (attribute != null && "true".equalsIgnoreCase(String.valueOf(attributes.get(attribute)).trim())) {
            return true;
        }
        return listed(kinds, attributes.get("kind"));
    }

    private static boolean listed(List<String> rules, String... values) {
        for (String value : values) {
            if (value != null && rules.contains(value.trim().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** Whether one of the comma-separated {@code values} (tags, labels) is listed. */
    private static boolean anyListed(List<String> rules, String values) {
        return values != null && !rules.isEmpty() && listed(rules, values.split(","));
    }

    /**
     * Lower-cased, trimmed entries; a blank one or one with a comma (the carried lists are comma-separated, so it
     * could never match) is a configuration mistake named by its key.
     */
    private static List<String> names(List<String> entries, String key) {
        if (entries == null) {
            return List.of();
        }
        Set<String> bad = entries.stream().filter(e -> e == null || e.isBlank() || e.contains(","))
                .map(String::valueOf).collect(Collectors.toCollection(LinkedHashSet::new));
        if (!bad.isEmpty()) {
            throw new ConfigException("programmed_content." + key + " has entries that are blank or hold a comma: "
                    + bad + " (list one name per entry)");
        }
        return entries.stream().map(e -> e.trim().toLowerCase(Locale.ROOT)).distinct().toList();
    }
}
