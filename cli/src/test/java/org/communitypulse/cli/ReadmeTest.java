package org.communitypulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.communitypulse.alerting.AlertDeliveryService;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The README is where people learn the commands and the topics, so it must not fall behind the code: every
 * command of {@code pulse --help} (recursively) has a line of its own in the README's commands block with
 * every option it takes, every option written there exists, and every topic the pipeline (or alert delivery)
 * writes has a row in the topic table, and every row is a real topic.
 */
class ReadmeTest {

    static final Path README = Path.of("..", "README.md");
    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*");

    private static String readme;

    @BeforeAll
    static void read() throws IOException {
        readme = Files.readString(README);
    }

    @Test
    void shouldGiveEveryCommandALineInTheCommandsBlock() {
        Map<String, String> documented = entries(commandsBlock());
        List<String> missing = commandPaths().stream()
                .filter(path -> documented.keySet().stream().noneMatch(d -> d.equals(path) || d.startsWith(path + " ")))
                .toList();

        assertThat(missing).as("commands of `pulse --help` without a `./pulse <command>` line in README.md's "
                + "commands block").isEmpty();
        assertThat(documented.keySet()).as("commands the README lists, as picocli resolves them")
                .contains("", "run", "import stackexchange", "alerts deliver", "identity merge");
    }

    @Test
    void shouldListEveryOptionOfEveryCommandOnItsLine() {
        Map<String, String> documented = entries(commandsBlock());
        Set<String> shared = optionNames(CommandSpec.forAnnotatedObject(new ConnectionOptions()));
        List<String> missing = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        documented.forEach((path, entry) -> {
            CommandLine command = resolve(path);
            Set<String> own = optionNames(command.getCommandSpec());
            for (OptionSpec option : command.getCommandSpec().options()) {
                boolean sharedOption = shared.contains(option.longestName());
                if (!option.usageHelp() && !option.versionHelp() && !sharedOption && !mentions(entry, option)) {
                    missing.add("pulse " + path + " " + option.longestName());
                }
            }
            Matcher m = OPTION.matcher(entry);
            while (m.find()) {
                if (!own.contains(m.group())) {
                    unknown.add("pulse " + path + " " + m.group());
                }
            }
        });

        assertThat(missing).as("options missing from their command's line in README.md").isEmpty();
        assertThat(unknown).as("options in README.md that the command does not have").isEmpty();
        assertThat(readme.substring(readme.indexOf("## Commands"))).as("the shared connection options, named once")
                .contains(shared);
    }

    @Test
    void shouldListEveryTopicInTheTopicTable() {
        Topics topics = new Topics(Topics.DEFAULT_PREFIX, new AvroSerdes(new InMemorySchemaRegistryClient(), false));
        Set<String> expected = new TreeSet<>(topics.names());
        expected.add(AlertDeliveryService.deadLetterTopic(topics));
        expected.add(AlertDeliveryService.routedTopic(topics));
        Set<String> rows = topicTableRows();

        assertThat(rows).as("topics in README.md's table (What you get)").containsExactlyInAnyOrderElementsOf(expected);
    }

    /** Every command path below {@code pulse}, e.g. {@code import}, {@code import stackexchange}, {@code alerts deliver}. */
    static List<String> commandPaths() {
        List<String> paths = new ArrayList<>();
        walk(PulseCommand.commandLine(), "", paths);
        return paths;
    }

    private static void walk(CommandLine command, String path, List<String> paths) {
        command.getSubcommands().forEach((name, sub) -> {
            String subPath = path.isEmpty() ? name : path + " " + name;
            paths.add(subPath);
            walk(sub, subPath, paths);
        });
    }

    /** The command a documented path names ("" is {@code pulse} itself). */
    private static CommandLine resolve(String path) {
        CommandLine command = PulseCommand.commandLine();
        for (String word : path.isEmpty() ? new String[0] : path.split(" ")) {
            command = command.getSubcommands().get(word);
        }
        return command;
    }

    private static Set<String> optionNames(CommandSpec spec) {
        return spec.options().stream().flatMap(o -> List.of(o.names()).stream()).collect(Collectors.toSet());
    }

    private static boolean mentions(String entry, OptionSpec option) {
        return List.of(option.names()).stream()
                .anyMatch(name -> Pattern.compile("(?<![\\w-])" + Pattern.quote(name) + "(?![\\w-])").matcher(entry).find());
    }

    /** The fenced block under "## Commands". */
    static String commandsBlock() {
        int heading = readme.indexOf("\n## Commands\n");
        assertThat(heading).as("## Commands in " + README).isNotNegative();
        int open = readme.indexOf("```\n", heading);
        int close = readme.indexOf("```\n", open + 4);
        assertThat(open).isPositive();
        assertThat(close).isGreaterThan(open);
        return readme.substring(open + 4, close);
    }

    /**
     * The block's entries by command path: an entry is a {@code ./pulse} line and its indented continuation
     * lines; its path is the longest run of words after {@code ./pulse} that picocli resolves to a subcommand.
     */
    static Map<String, String> entries(String block) {
        Map<String, String> entries = new LinkedHashMap<>();
        String path = null;
        for (String line : block.split("\n")) {
            if (line.startsWith("./pulse")) {
                CommandLine command = PulseCommand.commandLine();
                List<String> words = new ArrayList<>();
                for (String word : line.substring("./pulse".length()).trim().split("\\s+")) {
                    CommandLine sub = command.getSubcommands().get(word);
                    if (sub == null) {
                        break;
                    }
                    command = sub;
                    words.add(word);
                }
                path = String.join(" ", words);
                assertThat(entries).as("one line per command in README.md: " + path).doesNotContainKey(path);
                entries.put(path, line);
            } else if (path != null && line.startsWith(" ")) {
                entries.merge(path, line, (a, b) -> a + "\n" + b);
            } else if (!line.isBlank()) {
                throw new AssertionError("README.md commands block: a line neither `./pulse ...` nor indented: " + line);
            }
        }
        return entries;
    }

    /** First cells of the table under "## What you get": the topic names. */
    static Set<String> topicTableRows() {
        int heading = readme.indexOf("\n## What you get\n");
        assertThat(heading).as("## What you get in " + README).isNotNegative();
        int end = readme.indexOf("\n## ", heading + 1);
        Set<String> rows = new LinkedHashSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `([^`]+)` \\|").matcher(readme.substring(heading, end));
        while (m.find()) {
            rows.add(m.group(1));
        }
        return rows;
    }
}
