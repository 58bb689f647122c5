package org.communitypulse.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code pulse} command: a thin entry point; each subcommand delegates to a module's API. */
@Command(name = "pulse", mixinStandardHelpOptions = true, version = "Community Pulse " + PulseCommand.VERSION,
        description = "Community health analytics on Kafka Streams.",
        subcommands = {RunCommand.class, ImportCommand.class, PollCommand.class, GenerateCommand.class, StreamsCommand.class, ReplayCommand.class,
                WebhooksCommand.class, AlertsCommand.class, IdentityCommand.class, SchemasCommand.class})
public final class PulseCommand implements Runnable {

    static final String VERSION = "0.1.0";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; failures print one clear line (stack trace with PULSE_DEBUG=1). */
    static CommandLine commandLine() {
        return new CommandLine(new PulseCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("pulse " + cmd.getCommandName() + " failed: " + e.getMessage());
                    if ("1".equals(System.getenv("PULSE_DEBUG"))) {
                        e.printStackTrace(cmd.getErr());
                    }
                    return 2;
                });
    }
}
