package org.communitypulse.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.communitypulse.ingest.ConsoleProgress;
import org.communitypulse.ingest.ImportException;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.KafkaEventSink;
import org.communitypulse.ingest.cloudevents.CloudEventsImporter;
import org.communitypulse.ingest.discourse.DiscourseApiClient;
import org.communitypulse.ingest.discourse.DiscourseApiImporter;
import org.communitypulse.ingest.discourse.DiscourseExportImporter;
import org.communitypulse.ingest.github.GitHubArchiveImporter;
import org.communitypulse.ingest.identity.IdentityMappingImporter;
import org.communitypulse.ingest.http.WebhookServerConfig;
import org.communitypulse.ingest.importing.FileImporter;
import org.communitypulse.ingest.register.RegisterImporter;
import org.communitypulse.ingest.slack.SlackExportImporter;
import org.communitypulse.ingest.stackexchange.StackExchangeImporter;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.ingest.webhook.WebhookSecretException;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.registry.SchemaRegistryClient;
import org.communitypulse.schemas.registry.SchemaRegistryException;
import org.communitypulse.schemas.serde.AvroSerdeConfig;
import org.communitypulse.schemas.serde.AvroSerdes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pulse import <source>}: backfill history into the activity topic. */
@Command(name = "import", mixinStandardHelpOptions = true, description = "Import community history into Kafka.",
        subcommands = {ImportCommand.StackExchange.class, ImportCommand.GitHub.class, ImportCommand.Slack.class,
                ImportCommand.CloudEvents.class, ImportCommand.Discourse.class, ImportCommand.Register.class,
                ImportCommand.Identities.class})
final class ImportCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "stackexchange", mixinStandardHelpOptions = true,
            description = "Import a Stack Exchange data dump folder (Posts.xml, Comments.xml, Votes.xml, Users.xml, ...).")
    static final class StackExchange implements Callable<Integer> {

        @Mixin
        StackExchangeDumpOptions dump;

        @Mixin
        ConnectionOptions connection;

        @Override
        public Integer call() {
            return importWith(dump.community, connection,
                    (sink, progress) -> new StackExchangeImporter().run(dump.dumpDir, dump.community, sink, progress));
        }
    }

    /** Options of the file-based sources. */
    abstract static class FileSource implements Callable<Integer> {

        @Mixin
        ExportFileOptions export;

        @Mixin
        ConnectionOptions connection;

        abstract ExportSource source();

        @Override
        public Integer call() {
            FileImporter importer;
            try {
                importer = source().importer(pseudonymiser(System.getenv()));
            } catch (WebhookSecretException e) {
                System.err.println("Import failed: " + e.getMessage());
                return 2;
            }
            return importWith(export.community, connection, (sink, progress) -> importer.run(export.file, export.community, sink,
                            progress));
        }
    }

    @Command(name = "github", mixinStandardHelpOptions = true,
            description = "Import GitHub events as JSON lines in the Events API shape (GH Archive), plain or gzip.")
    static final class GitHub extends FileSource {
        @Override
        ExportSource source() {
            return ExportSource.GITHUB;
        }
    }

    @Command(name = "slack", mixinStandardHelpOptions = true,
            description = "Import a Slack workspace export zip (channels.json, users.json, channel folders).")
    static final class Slack extends FileSource {
        @Override
        ExportSource source() {
            return ExportSource.SLACK;
        }
    }

    @Command(name = "cloudevents", mixinStandardHelpOptions = true,
            description = "Import JSON lines of CloudEvents 1.0 of type " + CloudEventsImporter.ACTIVITY_TYPE
                    + " whose data is an activity event.")
    static final class CloudEvents extends FileSource {
        @Override
        ExportSource source() {
            return ExportSource.CLOUDEVENTS;
        }
    }

    @Command(name = "discourse", mixinStandardHelpOptions = true,
            description = {"Import Discourse: saved API JSON (--dir: /t/{id}.json topics, /admin/users/list/*.json "
                    + "user lists) or a live forum through its API (--url, with an API key from --api-key-file or "
                    + "$" + Discourse.API_KEY_ENV + ")."})
    static final class Discourse implements Callable<Integer> {

        /** Environment variable holding the API key when --api-key-file is not given. */
        static final String API_KEY_ENV = "PULSE_DISCOURSE_API_KEY";
        /** Environment variable naming the API user when --api-username is not given. */
        static final String API_USERNAME_ENV = "PULSE_DISCOURSE_API_USERNAME";
        static final String DEFAULT_API_USERNAME = "system";

        @picocli.CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
        Input input;

        static final class Input {
            @Option(names = "--dir", paramLabel = "DIR",
                    description = "Folder of saved API responses (searched recursively for *.json).")
            Path dir;

            @Option(names = "--url", paramLabel = "URL",
                    description = "The forum's base URL, e.g. https://forum.example.org: read through the API.")
            java.net.URI url;
        }

        @Option(names = "--api-key-file", paramLabel = "FILE",
                description = "File holding the API key (else $" + API_KEY_ENV + "); the key is never printed.")
        Path apiKeyFile;

        @Option(names = "--api-username", paramLabel = "USER",
                description = "User the key acts as (else $" + API_USERNAME_ENV + ", else system).")
        String apiUsername;

        @Option(names = "--community", required = true, description = "Community id (no ':'), e.g. forum.")
        String community;

        @Mixin
        ConnectionOptions connection;

        @Override
        public Integer call() {
            MemberPseudonymiser members;
            DiscourseApiClient api = null;
            try {
                members = pseudonymiser(System.getenv());
                if (input.url != null) {
                    api = new DiscourseApiClient(apiSettings(System.getenv()));
                }
            } catch (WebhookSecretException | IllegalArgumentException e) {
                System.err.println("Import failed: " + e.getMessage());
                return 2;
            }
            if (api != null) {
                DiscourseApiClient client = api;
                return importWith(community, connection, (sink, progress) -> new DiscourseApiImporter(members)
                                .run(client, community, sink, progress));
            }
            return importWith(community, connection, (sink, progress) -> new DiscourseExportImporter(members)
                            .run(input.dir, community, sink, progress));
        }

        /** URL, key (file or environment, never both) and user. */
        DiscourseApiClient.Settings apiSettings(Map<String, String> env) {
            return apiSettings(input.url, apiKeyFile, apiUsername, env);
        }

        /** Shared with {@code pulse poll discourse}: the same key sources, the same checks. */
        static DiscourseApiClient.Settings apiSettings(java.net.URI url, Path apiKeyFile, String apiUsername,
                                                       Map<String, String> env) {
            String fromEnv = env.get(API_KEY_ENV);
            String key;
            if (apiKeyFile != null && fromEnv != null && !fromEnv.isEmpty()) {
                throw new IllegalArgumentException("Give the Discourse API key once: --api-key-file or $"
                        + API_KEY_ENV + ", not both");
            } else if (apiKeyFile != null) {
                try {
                    key = java.nio.file.Files.readString(apiKeyFile).strip();
                } catch (java.io.IOException e) {
                    throw new IllegalArgumentException("Cannot read the Discourse API key file " + apiKeyFile
                            + ": " + e.getMessage());
                }
                if (key.isEmpty()) {
                    throw new IllegalArgumentException("The Discourse API key file " + apiKeyFile + " is empty");
                }
            } else if (fromEnv != null && !fromEnv.isBlank()) {
                key = fromEnv.strip();
            } else {
                throw new IllegalArgumentException("--url needs an API key: --api-key-file FILE or $" + API_KEY_ENV);
            }
            String user = apiUsername != null ? apiUsername
                    : env.getOrDefault(API_USERNAME_ENV, DEFAULT_API_USERNAME);
            return DiscourseApiClient.Settings.of(url, key, user);
        }
    }

    @Command(name = "register", mixinStandardHelpOptions = true,
            description = "Import a role register (member,role,granted_at,revoked_at,account) and/or training "
                    + "records (member,course,completed_at,score) as CSV (the header tells which) or JSON lines "
                    + "(.jsonl/.ndjson/.json or a first '{'; each object's keys tell which).")
    static final class Register implements Callable<Integer> {

        @Option(names = "--file", required = true, description = "A register or training file, CSV or JSON lines; repeatable.")
        List<Path> files;

        @Option(names = "--community", required = true, description = "Community id the roles belong to.")
        String community;

        @Mixin
        ConnectionOptions connection;

        @Override
        public Integer call() {
            java.util.Optional<MemberPseudonymiser> pseudonyms = pseudonymiserOrReport();
            if (pseudonyms.isEmpty()) {
                return 2;
            }
            MemberPseudonymiser members = pseudonyms.get();
            try (SchemaRegistryClient registry = connection.registryClient()) {
                Topics topics = new Topics(connection.topicPrefix(), new AvroSerdes(registry, true));
                ImportSummary summary;
                try (KafkaEventSink sink = new KafkaEventSink(connection.bootstrapServers(), topics.activity(),
                        connection.kafkaProperties())) {
                    summary = new RegisterImporter(members).run(files, community, sink);
                }
                System.out.println(summary.render());
                System.out.println("Published to topic " + topics.activity().name() + " at " + connection.bootstrapServers());
                return summary.rejectedTotal() == 0 ? 0 : 1;
            } catch (ImportException | SchemaRegistryException | org.apache.kafka.common.KafkaException
                     | IllegalArgumentException e) {
                System.err.println("Import failed: " + e.getMessage());
                return 2;
            }
        }
    }

    @Command(name = "identities", mixinStandardHelpOptions = true,
            description = "Import an explicit identity mapping (CSV: person,source,user_id[,username,display_name,"
                    + "email,email_verified,mapped_at]): identities with the same person become one member. "
                    + "user_id is pseudonymised and email hashed with PULSE_PSEUDONYM_KEY, as the importers do.")
    static final class Identities implements Callable<Integer> {

        @Mixin
        ExportFileOptions export;

        @Mixin
        ConnectionOptions connection;

        @Override
        public Integer call() {
            java.util.Optional<MemberPseudonymiser> pseudonyms = pseudonymiserOrReport();
            if (pseudonyms.isEmpty()) {
                return 2;
            }
            MemberPseudonymiser members = pseudonyms.get();
            return importWith(export.community, connection, (sink, progress) -> new IdentityMappingImporter(members,
                            java.time.Clock.systemUTC()).run(export.file, export.community, sink));
        }
    }

    /**
     * The member-id hashing of {@code pulse webhooks}, from the same variables ({@code PULSE_PSEUDONYM_KEY} or
     * {@code PULSE_PSEUDONYM_KEY_FILE}), so an item imported and received by webhook has the same actor as well
     * as the same event id. No key: ids are kept.
     *
     * @throws WebhookSecretException when both are set or the key is unusable (the message never holds the key)
     */
    static MemberPseudonymiser pseudonymiser(Map<String, String> env) {
        return MemberPseudonymiser.fromKey(env.get(WebhookServerConfig.PSEUDONYM_KEY_ENV),
                WebhookServerConfig.PSEUDONYM_KEY_ENV, env.get(WebhookServerConfig.PSEUDONYM_KEY_FILE_ENV),
                WebhookServerConfig.PSEUDONYM_KEY_FILE_ENV, WebhookServerConfig.requiredBy(env));
    }

    /** {@link #pseudonymiser(Map)} of this process' environment, or empty after printing why no import can start. */
    static java.util.Optional<MemberPseudonymiser> pseudonymiserOrReport() {
        try {
            return java.util.Optional.of(pseudonymiser(System.getenv()));
        } catch (WebhookSecretException e) {
            System.err.println("Import failed: " + e.getMessage());
            return java.util.Optional.empty();
        }
    }

    /** Runs the import and prints its summary; exit code 0, or 1 if rows were rejected, 2 on failure. */
    static int importStackExchange(Path dumpDir, String community, String bootstrap, String registryUrl, String prefix,
                                   ClientSettings client) {
        java.util.Optional<MemberPseudonymiser> pseudonyms = pseudonymiserOrReport();
        if (pseudonyms.isEmpty()) {
            return 2;
        }
        MemberPseudonymiser members = pseudonyms.get();
        return importWith(community, bootstrap, client.registryConfig(registryUrl), client.kafka(), prefix,
                (sink, progress) -> new StackExchangeImporter(members).run(dumpDir, community, sink, progress));
    }

    /** As below, against the cluster and registry {@code connection} names, with its client settings. */
    static int importWith(String community, ConnectionOptions connection, ReplayRunner.ImportStep step) {
        Map<String, Object> registryConfig;
        Map<String, Object> kafka;
        try {
            registryConfig = connection.registryConfig();
            kafka = connection.kafkaProperties();
        } catch (IllegalArgumentException e) {
            System.err.println("Import failed: " + e.getMessage());
            return 2;
        }
        return importWith(community, connection.bootstrapServers(), registryConfig, kafka, connection.topicPrefix(), step);
    }

    /**
     * Runs one import step against Kafka and prints its summary; exit code 0, 1 if rows were rejected, 2 on failure.
     *
     * @param registryConfig the registry's serde configuration (URL, credentials)
     * @param kafka          pass-through producer properties, e.g. a secured cluster's security settings
     */
    static int importWith(String community, String bootstrap, Map<String, Object> registryConfig,
                          Map<String, Object> kafka, String prefix, ReplayRunner.ImportStep step) {
        if (community.isEmpty() || community.indexOf(':') >= 0) {
            System.err.println("Import failed: --community must be non-empty and contain no ':'");
            return 2;
        }
        try (SchemaRegistryClient registry = new AvroSerdeConfig(registryConfig).newClient()) {
            Topics topics = new Topics(prefix, new AvroSerdes(registry, true));
            ImportSummary summary;
            try (KafkaEventSink sink = new KafkaEventSink(bootstrap, topics.activity(), kafka)) {
                summary = step.importInto(sink, ConsoleProgress.toStderr());
            }
            System.out.println(summary.render());
            System.out.println("Published to topic " + topics.activity().name() + " at " + bootstrap);
            return summary.rejectedTotal() == 0 ? 0 : 1;
        } catch (ImportException | SchemaRegistryException | org.apache.kafka.common.KafkaException e) {
            System.err.println("Import failed: " + e.getMessage());
            return 2;
        }
    }

    /** The arguments naming an export file and its community, shared by {@code import} and {@code replay}. */
    static final class ExportFileOptions {

        @Option(names = "--file", required = true, paramLabel = "FILE", description = "The export file.")
        Path file;

        @Option(names = "--community", required = true, description = "Community id (no ':'), e.g. octo.")
        String community;
    }

    /** The arguments naming an export folder and its community. */
    static final class ExportDirOptions {

        @Option(names = "--dir", required = true, paramLabel = "DIR",
                description = "Folder of saved API responses (searched recursively for *.json).")
        Path dir;

        @Option(names = "--community", required = true, description = "Community id (no ':'), e.g. forum.")
        String community;
    }

    /** The file-based import sources, shared by {@code pulse import} and {@code pulse replay}. */
    enum ExportSource {
        GITHUB,
        SLACK,
        CLOUDEVENTS;

        /** The importer; {@code members} hashes platform member ids (a CloudEvent's as ids of its source). */
        FileImporter importer(MemberPseudonymiser members) {
            return switch (this) {
                case GITHUB -> new GitHubArchiveImporter(members);
                case SLACK -> new SlackExportImporter(members);
                case CLOUDEVENTS -> new CloudEventsImporter(members);
            };
        }
    }
}
