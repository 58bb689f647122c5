package org.communitypulse.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code pulse} command: a thin entry point; each subcommand delegates to a module's API. */
@Command(name = "pulse", mixinStandardHelpOptions = true, versionProvider = PulseVersion.class,
        description = "Community health analytics on Kafka Streams.",
        subcommands = {RunCommand.class, ImportCommand.class, DeclareCommand.class, PollCommand.class, GenerateCommand.class,
                StreamsCommand.class, ReplayCommand.class, WebhooksCommand.class, AlertsCommand.class,
                IdentityCommand.class, SchemasCommand.class, CompletionCommand.class})
public final class PulseCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The configured command line: failures print one clear line (stack trace with PULSE_DEBUG=1), usage
     * errors exit with {@link ExitCodes#USAGE}, and every command's help lists the exit codes.
     */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new PulseCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("pulse " + cmd.getCommandName() + " failed: " + e.getMessage());
                    if ("1".equals(System.getenv("PULSE_DEBUG"))) {
                        e.printStackTrace(cmd.getErr());
                    }
                    return ExitCodes.FAILED;
                });
        documentExitCodes(commandLine);
        return commandLine;
    }

    private static void documentExitCodes(CommandLine commandLine) {
        commandLine.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
        commandLine.getCommandSpec().usageMessage()
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(ExitCodes.descriptions());
        commandLine.getSubcommands().values().forEach(PulseCommand::documentExitCodes);
    }
}
