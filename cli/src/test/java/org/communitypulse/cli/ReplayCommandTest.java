package org.communitypulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pulse replay}'s own checks, before any platform starts. */
class ReplayCommandTest {

    @Test
    void shouldExitTwoNamingTheFileWhenARegisterOrDeclarationsFileIsMissing(@TempDir Path dump) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        int code;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            code = PulseCommand.commandLine().execute("replay", "stackexchange", dump.toString(), "--community", "c",
                    "--out", dump.resolve("out.jsonl").toString(), "--register", dump.resolve("roles.csv").toString(),
                    "--declarations", dump.resolve("declarations.csv").toString());
        } finally {
            System.setErr(original);
        }
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("pulse replay failed: no file at " + dump.resolve("roles.csv").toAbsolutePath());
        assertThat(dump.resolve("out.jsonl")).doesNotExist();
    }
}
