package org.communitypulse.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The arguments naming a Stack Exchange dump, shared by {@code import} and {@code replay}. */
final class StackExchangeDumpOptions {

    @Parameters(index = "0", description = "Dump folder (Posts.xml, Comments.xml, Votes.xml, Users.xml, ...).")
    Path dumpDir;

    @Option(names = "--community", required = true, description = "Community id, e.g. bicycles.meta.")
    String community;
}
