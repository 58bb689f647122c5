package org.communitypulse.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/** docs/connect.md must name every key of both connectors (a key added in code and not in the docs fails). */
class ConnectDocsTest {

    private static String docs() throws IOException {
        Path here = Path.of("").toAbsolutePath();
        Path docs = here.resolve("docs/connect.md");
        if (!Files.exists(docs)) {
            docs = here.getParent().resolve("docs/connect.md");
        }
        return Files.readString(docs);
    }

    private static void assertDocumented(ConfigDef definition, String docs) {
        definition.configKeys().values().forEach(key -> assertThat(docs).as("docs/connect.md documents " + key.name)
                .contains("`" + key.name + "`"));
    }

    @Test
    void shouldDocumentEveryConfigKeyWhenDocsRead() throws IOException {
        String docs = docs();
        assertDocumented(FileImportConfig.CONFIG_DEF, docs);
        assertDocumented(DiscoursePollerConfig.CONFIG_DEF, docs);
        assertDocumented(SlackPollerConfig.CONFIG_DEF, docs);
        assertDocumented(GitHubPollerConfig.CONFIG_DEF, docs);
        assertThat(docs).contains(FileImportSourceConnector.class.getName(),
                DiscoursePollerSourceConnector.class.getName(), SlackPollerSourceConnector.class.getName(),
                GitHubPollerSourceConnector.class.getName(),
                PulseConnectConfig.VALUE_CONVERTER,
                PulseConnectConfig.KEY_CONVERTER);
    }
}
