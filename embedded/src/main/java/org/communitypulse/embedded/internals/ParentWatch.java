package org.communitypulse.embedded.internals;

import java.io.IOException;
import java.io.InputStream;

/**
 * A Java agent for a child JVM (the Apicurio registry) that exits when its parent dies, even by
 * {@code kill -9}: the parent holds the write end of the child's standard input, which the kernel
 * closes with the parent, so reading it ends. The registry itself never reads standard input.
 * Started with {@code -javaagent:pulse-embedded.jar} (the jar's manifest names this class).
 */
public final class ParentWatch {

    private ParentWatch() {
    }

    /** Agent entry point: watches standard input on a daemon thread. */
    public static void premain(String args) {
        Thread watch = new Thread(() -> watch(System.in), "pulse-parent-watch");
        watch.setDaemon(true);
        watch.start();
    }

    static void watch(InputStream parent) {
        try {
            byte[] buffer = new byte[256];
            while (parent.read(buffer) >= 0) {
                // Nothing is ever sent; reading only waits for the end.
            }
        } catch (IOException e) {
            // A broken pipe means the same: the parent is gone.
        }
        // An orderly exit: the registry's shutdown closes its database file.
        System.exit(0);
    }
}
