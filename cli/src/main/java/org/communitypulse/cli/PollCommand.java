package org.communitypulse.cli;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.config.ConfigException;
import org.communitypulse.connect.DiscoursePollerConfig;
import org.communitypulse.connect.DiscoursePollerSourceTask;
import org.communitypulse.connect.GitHubPollerConfig;
import org.communitypulse.connect.GitHubPollerSourceTask;
import org.communitypulse.connect.PulseSourceTask;
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

    /**
     * The reconcile-only mode: a poller that publishes no events, only its recount of the last days' threads and
     * replies, for the reconciliation. Its offsets file is its own, so it never reads or moves the catch-up's cursor.
     */
    static final class ReconcileOptions {

        /** Connector keys of the mode, the same in every poller's config. */
        static final String ONLY_CONFIG = DiscoursePollerConfig.RECONCILE_ONLY_CONFIG;
        static final String DAYS_CONFIG = DiscoursePollerConfig.RECONCILE_DAYS_CONFIG;

        @Option(names = "--reconcile-only", description = "Publish no events: at each poll, recount the threads and "
                + "replies of the last --reconcile-days UTC days and publish them per day (for the reconciliation; "
                + "run beside the catch-up poller, with a longer --interval; own offsets file, no cursor).")
        boolean reconcileOnly;

        @Option(names = "--reconcile-days", paramLabel = "DAYS",
                description = "With --reconcile-only: days recounted, today included. Default: "
                        + DiscoursePollerConfig.RECONCILE_DAYS_DEFAULT + ".")
        Integer reconcileDays;

        /** @throws ParameterException (a usage error) when the days are given alone or out of range */
        void validate(CommandSpec spec) {
            if (reconcileDays != null && !reconcileOnly) {
                throw new ParameterException(spec.commandLine(), "--reconcile-days needs --reconcile-only");
            }
            if (reconcileDays != null && reconcileDays < 1) {
                throw new ParameterException(spec.commandLine(), "--reconcile-days must be at least 1");
            }
        }

        void putProps(Map<String, String> props) {
            if (reconcileOnly) {
                props.put(ONLY_CONFIG, "true");
                props.put(DAYS_CONFIG, Integer.toString(
                        reconcileDays == null ? DiscoursePollerConfig.RECONCILE_DAYS_DEFAULT : reconcileDays));
            }
        }
    }

    /**
     * What every poller subcommand does: checks the shared options, builds the task's properties (the shared ones,
     * then the platform's) and runs the task; a platform's bad setting ends it with a message, not a stack trace.
     */
    abstract static class Poller implements Callable<Integer> {

        @Option(names = "--community", required = true,
                description = "Community id (no ':'), e.g. the name of the forum, organisation or workspace.")
        String community;

        @Mixin
        PollOptions poll;

        @Mixin
        ConnectionOptions connection;

        @Mixin
        ReconcileOptions reconcile;

        @Spec
        CommandSpec spec;

        private final String platform;
        private final String intervalConfig;
        private final Supplier<PulseSourceTask<?>> task;

        /** @param intervalConfig the platform config's key of the poll interval in milliseconds */
        Poller(String platform, String intervalConfig, Supplier<PulseSourceTask<?>> task) {
            this.platform = platform;
            this.intervalConfig = intervalConfig;
            this.task = task;
        }

        /** Adds the platform's properties; throws IllegalArgumentException or ConfigException saying what to fix. */
        abstract void putPlatformProps(Map<String, String> props);


        @Override
        public final Integer call() {
            poll.validate(spec);
            reconcile.validate(spec);
            Map<String, String> props = taskProps(community, connection, System.getenv());
            props.put(intervalConfig, Long.toString(Duration.ofSeconds(poll.intervalSeconds).toMillis()));
            try {
                putPlatformProps(props);
            } catch (IllegalArgumentException | ConfigException e) {
                System.err.println("Poll failed: " + e.getMessage());
                return ExitCodes.FAILED;
            }
            boolean recounting = reconcile.reconcileOnly;
            reconcile.putProps(props);
            // The recount has its own offsets file: it never reads nor moves the catch-up poller's cursor.
            String name = platform + (recounting ? "-reconcile-" : "-") + community;
            return runPoller(task.get(), props, name, poll, connection);
        }
    }

    @Command(name = "discourse", mixinStandardHelpOptions = true,
            description = "Follow a Discourse forum's new topics, posts, likes and members through its API and publish "
                    + "its threads and replies per day (key from --api-key-file or $"
                    + ImportCommand.Discourse.API_KEY_ENV + ").")
    static final class Discourse extends Poller {

        Discourse() {
            super("discourse", DiscoursePollerConfig.POLL_INTERVAL_MS_CONFIG, DiscoursePollerSourceTask::new);
        }

        @Option(names = "--url", required = true, paramLabel = "URL",
                description = "The forum's base URL, e.g. https://forum.example.org.")
        java.net.URI url;

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

        @Override
        void putPlatformProps(Map<String, String> props) {
            DiscourseApiClient.Settings api = ImportCommand.Discourse.apiSettings(url, apiKeyFile, apiUsername,
                    System.getenv());
            props.put(DiscoursePollerConfig.URL_CONFIG, url.toString());
            props.put(DiscoursePollerConfig.API_KEY_CONFIG, api.apiKey());
            props.put(DiscoursePollerConfig.API_USERNAME_CONFIG, api.apiUsername());
            props.put(DiscoursePollerConfig.FOLLOW_USERS_CONFIG, Boolean.toString(!noUsers));
            props.put(DiscoursePollerConfig.FOLLOW_LIKES_CONFIG, Boolean.toString(!noLikes));
        }
    }

    @Command(name = "github", mixinStandardHelpOptions = true,
            description = "Follow GitHub repositories' issues, pull requests, comments, reviews and discussions "
                    + "through the API (token from --token-file or $" + GitHub.TOKEN_ENV + ").")
    static final class GitHub extends Poller {

        static final String TOKEN_ENV = "GITHUB_TOKEN";

        GitHub() {
            super("github", GitHubPollerConfig.POLL_INTERVAL_MS_CONFIG, GitHubPollerSourceTask::new);
        }

        @Option(names = "--repo", required = true, paramLabel = "OWNER/REPO|ORG",
                description = "A repository, or an organisation (or user) for all its repositories; repeatable.")
        List<String> repositories;

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

        @Override
        void putPlatformProps(Map<String, String> props) {
            props.put(GitHubPollerConfig.URL_CONFIG, apiUrl.toString());
            props.put(GitHubPollerConfig.REPOSITORIES_CONFIG, String.join(",", repositories));
            putToken(props, tokenFile, TOKEN_ENV, GitHubPollerConfig.TOKEN_FILE_CONFIG,
                    GitHubPollerConfig.TOKEN_CONFIG);
            if (since != null) {
                props.put(GitHubPollerConfig.START_SINCE_CONFIG, since);
            }
            props.put(GitHubPollerConfig.DISCUSSIONS_CONFIG, Boolean.toString(!noDiscussions));
            new GitHubPollerConfig(props).apiSettings();
        }
    }

    @Command(name = "slack", mixinStandardHelpOptions = true,
            description = "Follow Slack channels through the Web API: conversations.history, the replies of threads "
                    + "that moved, users.list (token from --token-file or $" + Slack.TOKEN_ENV + ").")
    static final class Slack extends Poller {

        static final String TOKEN_ENV = "PULSE_SLACK_TOKEN";

        Slack() {
            super("slack", SlackPollerConfig.POLL_INTERVAL_MS_CONFIG, SlackPollerSourceTask::new);
        }

        @Option(names = "--channels", required = true, split = ",", paramLabel = "ID",
                description = "Channel ids to follow, comma separated (e.g. C0123ABCD,C0456EFGH).")
        java.util.List<String> channels;

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

        @Override
        void putPlatformProps(Map<String, String> props) {
            String envToken = System.getenv(TOKEN_ENV);
            boolean fromEnv = envToken != null && !envToken.isBlank();
            if (fromEnv == (tokenFile != null)) {
                throw new IllegalArgumentException("give the token with --token-file FILE or $" + TOKEN_ENV
                        + " (exactly one)");
            }
            props.put(SlackPollerConfig.CHANNELS_CONFIG, String.join(",", channels));
            props.put(SlackPollerConfig.API_URL_CONFIG, apiUrl);
            putToken(props, tokenFile, TOKEN_ENV, SlackPollerConfig.TOKEN_FILE_CONFIG, SlackPollerConfig.TOKEN_CONFIG);
            props.put(SlackPollerConfig.LOOKBACK_HOURS_CONFIG, Integer.toString(lookbackHours));
            props.put(SlackPollerConfig.THREAD_WINDOW_HOURS_CONFIG, Integer.toString(threadWindowHours));
            props.put(SlackPollerConfig.MEMBERS_CONFIG, Boolean.toString(!skipMembers));
        }
    }

    /**
     * Puts the token's file under {@code fileConfig} when given, else the token of {@code $tokenEnv} under
     * {@code tokenConfig}; the token itself is never printed.
     *
     * @throws IllegalArgumentException when neither is given
     */
    static void putToken(Map<String, String> props, Path tokenFile, String tokenEnv, String fileConfig,
                         String tokenConfig) {
        if (tokenFile != null) {
            props.put(fileConfig, tokenFile.toString());
            return;
        }
        String token = System.getenv(tokenEnv);
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("give --token-file FILE or set $" + tokenEnv);
        }
        props.put(tokenConfig, token.trim());
    }

    /** The properties every poller shares: community, topics, registry and member-id hashing from the environment. */
    static Map<String, String> taskProps(String community, ConnectionOptions connection, Map<String, String> env) {
        Map<String, String> props = new HashMap<>();
        props.put(PulseConnectConfig.COMMUNITY_CONFIG, community);
        props.put(PulseConnectConfig.TOPIC_PREFIX_CONFIG, connection.topicPrefix());
        props.put(PulseConnectConfig.REGISTRY_URL_CONFIG, connection.registryUrl());
        ClientSettings client = connection.clientSettings();
        if (client.registryBearerToken() != null) {
            throw new IllegalArgumentException("pulse poll authenticates to the schema registry with basic "
                    + "authentication only (" + ClientSettings.USER_INFO_VARIABLE + "), not a bearer token");
        }
        if (client.registryUserInfo() != null) {
            props.put(PulseConnectConfig.REGISTRY_USER_INFO_CONFIG, client.registryUserInfo());
        }
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
    static int runPoller(PulseSourceTask<?> task, Map<String, String> props, String name, PollOptions poll,
                         ConnectionOptions connection) {
        Path offsets = poll.stateDir.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".offsets.json");
        StandaloneSourceRunner runner;
        try {
            Producer<byte[], byte[]> producer = StandaloneSourceRunner.producer(connection.bootstrapServers(),
                    connection.kafkaProperties());
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
