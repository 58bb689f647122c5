package org.communitypulse.connect;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.communitypulse.ingest.EventSink;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.ProgressListener;
import org.communitypulse.ingest.cloudevents.CloudEventsImporter;
import org.communitypulse.ingest.discourse.DiscourseExportImporter;
import org.communitypulse.ingest.github.GitHubArchiveImporter;
import org.communitypulse.ingest.register.RegisterImporter;
import org.communitypulse.ingest.slack.SlackExportImporter;
import org.communitypulse.ingest.stackexchange.StackExchangeImporter;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;

/** The exports the file connector reads: the importers of {@code pulse import}, one path each. */
public enum ImportSource {
    /** A Stack Exchange dump folder (Posts.xml, Comments.xml, ...). */
    STACKEXCHANGE,
    /** GH Archive / Events API JSON lines, plain or gzip. */
    GITHUB,
    /** A Slack workspace export zip. */
    SLACK,
    /** JSON lines of CloudEvents carrying activity events. */
    CLOUDEVENTS,
    /** A folder of saved Discourse API JSON. */
    DISCOURSE,
    /** A role register or training CSV. */
    REGISTER;

    /** The name in configuration, e.g. {@code github}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Every config name, for the validator and the docs. */
    public static String[] configNames() {
        return java.util.Arrays.stream(values()).map(ImportSource::configName).toArray(String[]::new);
    }

    public static ImportSource fromConfig(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    /**
     * Runs this source's importer over {@code path}; importers are deterministic, so the n-th event of a run is
     * the n-th event of every run over the same file, which is what the connector's offsets count on.
     */
    public ImportSummary run(Path path, String community, EventSink sink, ProgressListener progress,
                             MemberPseudonymiser members) {
        return switch (this) {
            case STACKEXCHANGE -> new StackExchangeImporter(members).run(path, community, sink, progress);
            case GITHUB -> new GitHubArchiveImporter(members).run(path, community, sink, progress);
            case SLACK -> new SlackExportImporter(members).run(path, community, sink, progress);
            case CLOUDEVENTS -> new CloudEventsImporter(members).run(path, community, sink, progress);
            case DISCOURSE -> new DiscourseExportImporter(members).run(path, community, sink, progress);
            case REGISTER -> new RegisterImporter(members).run(List.of(path), community, sink);
        };
    }
}
