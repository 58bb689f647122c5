package org.communitypulse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.communitypulse.ingest.discourse.DiscourseApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DiscourseImportOptionsTest {

    private static final String KEY = "abcdef0123456789secret";

    @TempDir
    Path dir;

    private static ImportCommand.Discourse parse(String... args) {
        ImportCommand.Discourse command = new ImportCommand.Discourse();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void shouldReadKeyFromFileAndUserFromOptionWhenUrlGiven() throws Exception {
        Path keyFile = Files.writeString(dir.resolve("key"), KEY + "\n");
        DiscourseApiClient.Settings settings = parse("--url", "https://forum.example", "--api-key-file",
                keyFile.toString(), "--api-username", "importer", "--community", "forum").apiSettings(Map.of());
        assertThat(settings.apiKey()).isEqualTo(KEY);
        assertThat(settings.apiUsername()).isEqualTo("importer");
        assertThat(settings.baseUrl()).hasToString("https://forum.example");
        assertThat(settings.toString()).doesNotContain(KEY);
    }

    @Test
    void shouldTakeKeyAndUserFromEnvironmentWhenNoOptions() {
        DiscourseApiClient.Settings settings = parse("--url", "https://forum.example", "--community", "forum")
                .apiSettings(Map.of(ImportCommand.Discourse.API_KEY_ENV, KEY));
        assertThat(settings.apiKey()).isEqualTo(KEY);
        assertThat(settings.apiUsername()).isEqualTo(ImportCommand.Discourse.DEFAULT_API_USERNAME);
    }

    @Test
    void shouldRefuseWhenKeyMissingOrGivenTwice() throws Exception {
        ImportCommand.Discourse none = parse("--url", "https://forum.example", "--community", "forum");
        assertThatThrownBy(() -> none.apiSettings(Map.of())).hasMessageContaining("--url needs an API key");
        Path keyFile = Files.writeString(dir.resolve("key"), KEY);
        ImportCommand.Discourse both = parse("--url", "https://forum.example", "--api-key-file", keyFile.toString(),
                "--community", "forum");
        assertThatThrownBy(() -> both.apiSettings(Map.of(ImportCommand.Discourse.API_KEY_ENV, KEY)))
                .hasMessageContaining("not both").hasMessageNotContaining(KEY);
    }

    @Test
    void shouldExitTwoWithoutPrintingKeyWhenForumUnreachable() {
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = PulseCommand.commandLine().execute("import", "discourse", "--url", "ftp://forum.example",
                    "--community", "forum");
        } finally {
            System.setErr(originalErr);
        }
        assertThat(code).isEqualTo(2);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("Import failed:");
    }

    @Test
    void shouldRefuseDirAndUrlTogether() {
        assertThatThrownBy(() -> parse("--dir", "x", "--url", "https://forum.example", "--community", "forum"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("mutually exclusive");
    }
}
