package org.communitypulse.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.communitypulse.ingest.ConsoleProgress;
import org.communitypulse.ingest.ImportException;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.KafkaEventSink;
import org.communitypulse.ingest.register.RegisterImporter;
import org.communitypulse.ingest.stackexchange.StackExchangeImporter;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.registry.RestSchemaRegistryClient;
import org.communitypulse.schemas.registry.SchemaRegistryClient;
import org.communitypulse.schemas.registry.SchemaRegistryException;
import org.communitypulse.schemas.serde.AvroSerdes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pulse import <source>}: backfill history into the activity topic. */
@Command(name = "import", mixinStandardHelpOptions = true, description = "Import community history into Kafka.",
        subcommands = {ImportCommand.StackExchange.class, ImportCommand.Register.class})
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
            return importStackExchange(dump.dumpDir, dump.community, connection.bootstrapServers, connection.registryUrl,
                    connection.topicPrefix);
        }
    }

    @Command(name = "register", mixinStandardHelpOptions = true,
            description = "Import a role register (CSV: member,role,granted_at,revoked_at,account) and/or training "
                    + "records (CSV: member,course,completed_at,score); the header tells which.")
    static final class Register implements Callable<Integer> {

        @Option(names = "--file", required = true, description = "A register or training CSV; repeatable.")
        List<Path> files;

        @Option(names = "--community", required = true, description = "Community id the roles belong to.")
        String community;

        @Mixin
        ConnectionOptions connection;

        @Override
        public Integer call() {
            try (SchemaRegistryClient registry = new RestSchemaRegistryClient(connection.registryUrl)) {
                Topics topics = new Topics(connection.topicPrefix, new AvroSerdes(registry, true));
                ImportSummary summary;
                try (KafkaEventSink sink = new KafkaEventSink(connection.bootstrapServers, topics.activity(), Map.of())) {
                    summary = new RegisterImporter().run(files, community, sink);
                }
                System.out.println(summary.render());
                System.out.println("Published to topic " + topics.activity().name() + " at " + connection.bootstrapServers);
                return summary.rejectedTotal() == 0 ? 0 : 1;
            } catch (ImportException | SchemaRegistryException | org.apache.kafka.common.KafkaException e) {
                System.err.println("Import failed: " + e.getMessage());
                return 2;
            }
        }
    }

    /** Runs the import and prints its summary; exit code 0, or 1 if rows were rejected, 2 on failure. */
    static int importStackExchange(Path dumpDir, String community, String bootstrap, String registryUrl, String prefix) {
        try (SchemaRegistryClient registry = new RestSchemaRegistryClient(registryUrl)) {
            Topics topics = new Topics(prefix, new AvroSerdes(registry, true));
            ImportSummary summary;
            try (KafkaEventSink sink = new KafkaEventSink(bootstrap, topics.activity(), Map.of())) {
                summary = new StackExchangeImporter().run(dumpDir, community, sink, ConsoleProgress.toStderr());
            }
            System.out.println(summary.render());
            System.out.println("Published to topic " + topics.activity().name() + " at " + bootstrap);
            return summary.rejectedTotal() == 0 ? 0 : 1;
        } catch (ImportException | SchemaRegistryException | org.apache.kafka.common.KafkaException e) {
            System.err.println("Import failed: " + e.getMessage());
            return 2;
        }
    }
}
