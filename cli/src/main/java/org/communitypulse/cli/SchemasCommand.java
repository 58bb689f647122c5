package org.communitypulse.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pulse schemas}: the topics' Avro schemas and their AsyncAPI description, for consumers in other languages. */
@Command(name = "schemas", mixinStandardHelpOptions = true,
        description = "The topics' schemas, for consumers outside Java. See docs/data-teams.md.",
        subcommands = {SchemasCommand.Export.class})
final class SchemasCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Write every topic's key and value schema (<topic>-key.avsc, <topic>-value.avsc) and an "
                    + "AsyncAPI 2.6 document of all topics (asyncapi.yaml) into a folder.",
                    "Needs no Kafka or registry: the schemas are those this build reads and writes."})
    static final class Export implements Callable<Integer> {

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write (created if missing).")
        Path out;

        @Mixin
        TopicPrefixOption topic;

        @Override
        public Integer call() throws Exception {
            // The serdes are only asked for their schemas: no registry is contacted.
            Topics topics = new Topics(topic.prefix, new AvroSerdes(new InMemorySchemaRegistryClient(), false));
            SchemaExport.Result result = new SchemaExport().export(topics, out);
            System.out.println("Wrote " + result.schemaFiles().size() + " schema files and " + result.asyncApi()
                    + " (" + result.channels() + " topics) to " + out);
            return 0;
        }
    }
}
