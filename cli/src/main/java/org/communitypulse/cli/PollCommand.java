package org.communitypulse.cli;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.config.ConfigException;
import org.communitypulse.connect.DiscoursePollerConfig;
import org.communitypulse.connect.DiscoursePollerSourceTask;
import org.communitypulse.connect.GitHubPollerConfig;
import org.communitypulse.connect.GitHubPollerSourceTask;
import org.communitypulse.connect.PollingSourceTask;
import org.communitypulse.connect.PulseConnectConfig;
import org.communitypulse.connect.SlackPollerConfig;
import org.communitypulse.connect.SlackPollerSourceTask;
import org.communitypulse.connect.standalone.StandaloneSourceRunner;
import org.communitypulse.ingest.http.WebhookServerConfig;
import org.communitypulse.ingest.discourse.DiscourseApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pulse poll <platform>}: the catch-up pollers of the Connect plugin, run without a Connect worker
 * ({@link StandaloneSourceRunner}): same records, same offsets, kept in a JSON file under {@code --state-dir}.
 */
@Command(name = "poll", mixinStandardHelpOptions = true,
        description = "Follow a platform's API and publish what webhooks may have missed (no Kafka Connect needed).",
        subcommands = {PollCommand.Discourse.class, PollCommand.Slack.class, PollCommand.GitHub.class})
final class PollCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** Options every poller takes. */
    static final class PollOptions {

        @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "60",
                description = "Seconds between two reads of the API. Default: ${DEFAULT-VALUE}.")
        long intervalSeconds;

        @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "${env:PULSE_POLL_STATE_DIR:-.pulse/poll}",
                description = "Where the offsets (what was published) are kept (env PULSE_POLL_STATE_DIR). "
                        + "Default: ${DEFAULT-VALUE}.")
        Path stateDir;

        @Option(names = "--once", description = "Poll until caught up, then exit (for cron and scripts).")
        boolean once;

        /** @throws ParameterException (a usage error) when an option is out of range */
        void validate(CommandSpec spec) {
            if (intervalSeconds < 1) {
                throw new ParameterException(spec.commandLine(), "--interval must be at least 1 second");
            }
        }
    }

    @Command(name = "discourse", mixinStandardHelpOptions = true,
            description = "Follow a Discourse forum's new topics, posts, likes and members through its API and publish "
                    + "its threads and replies per day (key from --api-key-file or $"
                    + ImportCommand.Discourse.API_KEY_ENV + ").")
    static final class Discourse implements Callable<Integer> {

        @Option(names = "--url", required = true, paramLabel = "URL",
                description = "The forum's base URL, e.g. https://forum.example.org.")
        java.net.URI url;

        @Option(names = "--community", required = true, description = "Community id (no ':'), e.g. forum.")
        String community;

        @Option(names = "--api-key-file", paramLabel = "FILE",
                description = "File holding the API key (else $" + ImportCommand.Discourse.API_KEY_ENV
                        + "); the key is never printed.")
        Path apiKeyFile;

        @Option(names = "--api-username", paramLabel = "USER",
                description = "User the key acts as (else $" + ImportCommand.Discourse.API_USERNAME_ENV
                        + ", else system).")
        String apiUsername;

        @Option(names = "--no-users",
                description = "Do not follow new members (they need an admin API key).")
        boolean noUsers;

        @Option(names = "--no-likes", description = "Do not follow likes (one request per post whose likes grew).")
        boolean noLikes;

        @Option(names = "--reconcile-only", description = "Publish no events: at each poll, recount the threads and "
                + "replies of the last --reconcile-days UTC days and publish them per day (for the reconciliation; "
                + "run beside the catch-up poller, with a longer --interval; own offsets file, no cursor).")
        boolean reconcileOnly;

        @Option(names = "--reconcile-days", paramLabel = "DAYS",
                description = "With --reconcile-only: days recounted, today included. Default: "
                        + DiscoursePollerConfig.RECONCILE_DAYS_DEFAULT + ".")
        Integer reconcileDays;

        @Mixin
        PollOptions poll;

        @Mixin
        ConnectionOptions connection;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            poll.validate(spec);
            if (reconcileDays != null && !reconcileOnly) {
                throw new ParameterException(spec.commandLine(), "--reconcile-days needs --reconcile-only");
            }
            if (reconcileDays != null && reconcileDays < 1) {
                throw new ParameterException(spec.commandLine(), "--reconcile-days must be at least 1");
            }
            DiscourseApiClient.Settings api;
            try {
                api = ImportCommand.Discourse.apiSettings(url, apiKeyFile, apiUsername, System.getenv());
            } catch (IllegalArgumentException e) {
                System.err.println("Poll failed: " + e.getMessage());
                return ExitCodes.FAILED;
            }
            Map<String, String> props = taskProps(community, connection, System.getenv());
            props.put(DiscoursePollerConfig.URL_CONFIG, url.toString());
            props.put(DiscoursePollerConfig.API_KEY_CONFIG, api.apiKey());
            props.put(DiscoursePollerConfig.API_USERNAME_CONFIG, api.apiUsername());
            props.put(DiscoursePollerConfig.FOLLOW_USERS_CONFIG, Boolean.toString(!noUsers));
            props.put(DiscoursePollerConfig.FOLLOW_LIKES_CONFIG, Boolean.toString(!noLikes));
            props.put(DiscoursePollerConfig.POLL_INTERVAL_MS_CONFIG,
                    Long.toString(Duration.ofSeconds(poll.intervalSeconds).toMillis()));
            if (reconcileOnly) {
                props.put(DiscoursePollerConfig.RECONCILE_ONLY_CONFIG, "true");
                props.put(DiscoursePollerConfig.RECONCILE_DAYS_CONFIG, Integer.toString(
                        reconcileDays == null ? DiscoursePollerConfig.RECONCILE_DAYS_DEFAULT : reconcileDays));
            }
            // Its own offsets file: the recount never moves (nor reads) the catch-up poller's.
            String name = (reconcileOnly ? "discourse-reconcile-" : "discourse-") + community;
            return runPoller(new DiscoursePollerSourceTask(), props, name, poll, connection);
        }
    }

    @Command(name = "github", mixinStandardHelpOptions = true,
            description = "Follow GitHub repositories' issues, pull requests, comments, reviews and discussions "
                    + "through the API (token from --token-file or $" + GitHub.TOKEN_ENV + ").")
    static final class GitHub implements Callable<Integer> {

        static final String TOKEN_ENV = "GITHUB_TOKEN";

        @Option(names = "--repo", required = true, paramLabel = "OWNER/REPO|ORG",
                description = "A repository, or an organisation (or user) for all its repositories; repeatable.")
        List<String> repositories;

        @Option(names = "--community", required = true, description = "Community id (no ':'), e.g. octo.")
        String community;

        @Option(names = "--api-url", paramLabel = "URL", defaultValue = "https://api.github.com",
                description = "REST API base; GitHub Enterprise Server: https://HOST/api/v3. Default: "
                        + "${DEFAULT-VALUE}.")
        URI apiUrl;

        @Option(names = "--token-file", paramLabel = "FILE",
                description = "File holding the token (else $" + TOKEN_ENV + "); the token is never printed.")
        Path tokenFile;

        @Option(names = "--since", paramLabel = "DAY|INSTANT",
                description = "First start only: read items updated from this UTC day or instant on (default: "
                        + "the whole history).")
        String since;

        @Option(names = "--no-discussions", description = "Do not read discussions (GraphQL).")
        boolean noDiscussions;

        @Option(names = "--reconcile-only", description = "Publish no events: at each poll, recount the threads and "
                + "replies of the last --reconcile-days UTC days and publish them per day (for the reconciliation; "
                + "run beside the catch-up poller, with a longer --interval; own offsets file, no cursor).")
        boolean reconcileOnly;

        @Option(names = "--reconcile-days", paramLabel = "DAYS",
                description = "With --reconcile-only: days recounted, today included. Default: "
                        + GitHubPollerConfig.RECONCILE_DAYS_DEFAULT + ".")
        Integer reconcileDays;

        @Mixin
        PollOptions poll;

        @Mixin
        ConnectionOptions connection;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            poll.validate(spec);
            if (reconcileDays != null && !reconcileOnly) {
                throw new ParameterException(spec.commandLine(), "--reconcile-days needs --reconcile-only");
            }
            if (reconcileDays != null && reconcileDays < 1) {
                throw new ParameterException(spec.commandLine(), "--reconcile-days must be at least 1");
            }
            Map<String, String> props = taskProps(community, connection, System.getenv());
            props.put(GitHubPollerConfig.URL_CONFIG, apiUrl.toString());
            props.put(GitHubPollerConfig.REPOSITORIES_CONFIG,
                    String.join(",", repositories));
            if (tokenFile != null) {
                props.put(GitHubPollerConfig.TOKEN_FILE_CONFIG, tokenFile.toString());
            } else {
                String token = System.getenv(TOKEN_ENV);
                if (token == null || token.isBlank()) {
                    System.err.println("Poll failed: give --token-file FILE or set $" + TOKEN_ENV);
                    return ExitCodes.FAILED;
                }
                props.put(GitHubPollerConfig.TOKEN_CONFIG, token.trim());
            }
            if (since != null) {
                props.put(GitHubPollerConfig.START_SINCE_CONFIG, since);
            }
            props.put(GitHubPollerConfig.DISCUSSIONS_CONFIG,
                    Boolean.toString(!noDiscussions));
            props.put(GitHubPollerConfig.POLL_INTERVAL_MS_CONFIG,
                    Long.toString(Duration.ofSeconds(poll.intervalSeconds).toMillis()));
            if (reconcileOnly) {
                props.put(GitHubPollerConfig.RECONCILE_ONLY_CONFIG, "true");
                props.put(GitHubPollerConfig.RECONCILE_DAYS_CONFIG, Integer.toString(
                        reconcileDays == null ? GitHubPollerConfig.RECONCILE_DAYS_DEFAULT : reconcileDays));
            }
            try {
                new GitHubPollerConfig(props).apiSettings();
            } catch (ConfigException e) {
                System.err.println("Poll failed: " + e.getMessage());
                return ExitCodes.FAILED;
            }
            // Its own offsets file: the recount never moves (nor reads) the catch-up poller's.
            String name = (reconcileOnly ? "github-reconcile-" : "github-") + community;
            return runPoller(new GitHubPollerSourceTask(), props, name, poll, connection);
        }
    }

    @Command(name = "slack", mixinStandardHelpOptions = true,
            description = "Follow Slack channels through the Web API: conversations.history, the replies of threads "
                    + "that moved, users.list (token from --token-file or $" + Slack.TOKEN_ENV + ").")
    static final class Slack implements Callable<Integer> {

        static final String TOKEN_ENV = "PULSE_SLACK_TOKEN";

        @Option(names = "--channels", required = true, split = ",", paramLabel = "ID",
                description = "Channel ids to follow, comma separated (e.g. C0123ABCD,C0456EFGH).")
        java.util.List<String> channels;

        @Option(names = "--community", required = true, description = "Community id (no ':'), e.g. workspace.")
        String community;

        @Option(names = "--token-file", paramLabel = "FILE",
                description = "File holding the bot token (else $" + TOKEN_ENV + "); the token is never printed.")
        Path tokenFile;

        @Option(names = "--api-url", paramLabel = "URL", defaultValue = SlackPollerConfig.API_URL_DEFAULT,
                description = "Slack Web API base. Default: ${DEFAULT-VALUE}.")
        String apiUrl;

        @Option(names = "--lookback-hours", paramLabel = "HOURS",
                defaultValue = "" + SlackPollerConfig.LOOKBACK_HOURS_DEFAULT,
                description = "First run only: read this far back. Default: ${DEFAULT-VALUE}.")
        int lookbackHours;

        @Option(names = "--thread-window-hours", paramLabel = "HOURS",
                defaultValue = "" + SlackPollerConfig.THREAD_WINDOW_HOURS_DEFAULT,
                description = "Follow new replies of threads started this recently. Default: ${DEFAULT-VALUE}.")
        int threadWindowHours;

        @Option(names = "--skip-members", description = "Do not read users.list (admin roles, deactivations).")
        boolean skipMembers;

        @Option(names = "--reconcile-only", description = "Publish no events: recount the threads and replies of "
                + "the last --reconcile-days UTC days at each poll, for the reconciliation (offsets untouched).")
        boolean reconcileOnly;

        @Option(names = "--reconcile-days", paramLabel = "DAYS",
                defaultValue = "" + SlackPollerConfig.RECONCILE_DAYS_DEFAULT,
                description = "With --reconcile-only: days recounted, today included. Default: ${DEFAULT-VALUE}.")
        int reconcileDays;

        @Mixin
        PollOptions poll;

        @Mixin
        ConnectionOptions connection;

        @Override
        public Integer call() {
            if (reconcileDays < 1) {
                System.err.println("Poll failed: --reconcile-days must be at least 1");
                return 2;
            }
            String envToken = System.getenv(TOKEN_ENV);
            boolean fromEnv = envToken != null && !envToken.isBlank();
            if (fromEnv == (tokenFile != null)) {
                System.err.println("Poll failed: give the token with --token-file FILE or $" + TOKEN_ENV
                        + " (exactly one)");
                return 2;
            }
            Map<String, String> props = taskProps(community, connection, System.getenv());
            props.put(SlackPollerConfig.CHANNELS_CONFIG, String.join(",", channels));
            props.put(SlackPollerConfig.API_URL_CONFIG, apiUrl);
            if (fromEnv) {
                props.put(SlackPollerConfig.TOKEN_CONFIG, envToken.trim());
            } else {
                props.put(SlackPollerConfig.TOKEN_FILE_CONFIG, tokenFile.toString());
            }
            props.put(SlackPollerConfig.LOOKBACK_HOURS_CONFIG, Integer.toString(lookbackHours));
            props.put(SlackPollerConfig.THREAD_WINDOW_HOURS_CONFIG, Integer.toString(threadWindowHours));
            props.put(SlackPollerConfig.MEMBERS_CONFIG, Boolean.toString(!skipMembers));
            props.put(SlackPollerConfig.POLL_INTERVAL_MS_CONFIG,
                    Long.toString(Duration.ofSeconds(poll.intervalSeconds).toMillis()));
            props.put(SlackPollerConfig.RECONCILE_ONLY_CONFIG, Boolean.toString(reconcileOnly));
            props.put(SlackPollerConfig.RECONCILE_DAYS_CONFIG, Integer.toString(reconcileDays));
            // Its own offsets file (it writes none, but never shares the catch-up's).
            return runPoller(new SlackPollerSourceTask(), props, "slack-" + community
                    + (reconcileOnly ? "-reconcile" : ""), poll, connection);
        }
    }

    /** The properties every poller shares: community, topics, registry and member-id hashing from the environment. */
    static Map<String, String> taskProps(String community, ConnectionOptions connection, Map<String, String> env) {
        Map<String, String> props = new HashMap<>();
        props.put(PulseConnectConfig.COMMUNITY_CONFIG, community);
        props.put(PulseConnectConfig.TOPIC_PREFIX_CONFIG, connection.topicPrefix);
        props.put(PulseConnectConfig.REGISTRY_URL_CONFIG, connection.registryUrl());
        String key = env.get(WebhookServerConfig.PSEUDONYM_KEY_ENV);
        if (key != null && !key.isEmpty()) {
            props.put(PulseConnectConfig.PSEUDONYM_KEY_CONFIG, key);
        }
        String keyFile = env.get(WebhookServerConfig.PSEUDONYM_KEY_FILE_ENV);
        if (keyFile != null && !keyFile.isEmpty()) {
            props.put(PulseConnectConfig.PSEUDONYM_KEY_FILE_CONFIG, keyFile);
        }
        return props;
    }

    /**
     * Runs a poller until Ctrl-C/SIGTERM (or, with --once, until caught up); exit code 0, 2 on failure (130/143 after Ctrl-C/SIGTERM, once stopped cleanly).
     * Offsets go to {@code <state-dir>/<name>.offsets.json}.
     */
    static int runPoller(PollingSourceTask<?> task, Map<String, String> props, String name, PollOptions poll,
                         ConnectionOptions connection) {
        Path offsets = poll.stateDir.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".offsets.json");
        StandaloneSourceRunner runner;
        try {
            Producer<byte[], byte[]> producer = StandaloneSourceRunner.producer(connection.bootstrapServers(), Map.of());
            runner = new StandaloneSourceRunner(task, props, offsets, producer,
                    line -> System.err.println("pulse poll " + name + ": " + line));
        } catch (RuntimeException e) {
            System.err.println("Poll failed: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        // The JVM halts when its hooks return: wait until the batch in flight is sent and its offsets saved.
        Thread hook = new Thread(() -> {
            runner.stop();
            try {
                runner.awaitFinished(Duration.ofSeconds(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pulse-poll-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            long sent = runner.run(poll.once);
            System.out.println("Published " + sent + " record(s) at " + connection.bootstrapServers()
                    + "; offsets in " + offsets.toAbsolutePath());
            return ExitCodes.OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.FAILED;
        } catch (RuntimeException e) {
            System.err.println("Poll failed: " + e.getMessage());
            return ExitCodes.FAILED;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Already running: it waits for this run to finish.
            }
        }
    }
}
