package org.communitypulse.embedded.internals;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.function.Consumer;

/**
 * Kafka's storage formatter prints its progress straight to {@code System.out} from the test kit's
 * threads. While installed, this stream diverts whatever those threads print to a callback (our
 * debug log) and passes output of every other thread through unchanged.
 */
public final class ThreadFilteringPrintStream extends PrintStream {

    private final PrintStream original;
    private final String threadPrefix;
    private final Consumer<String> diverted;
    private final Charset charset;

    private ThreadFilteringPrintStream(PrintStream original, String threadPrefix, Consumer<String> diverted) {
        super(new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
            }
        }, true, Charset.defaultCharset());
        this.original = original;
        this.threadPrefix = threadPrefix;
        this.diverted = diverted;
        this.charset = Charset.defaultCharset();
    }

    /**
     * Runs {@code action} with {@code System.out} diverting output printed by threads whose name
     * starts with {@code threadPrefix}, then restores the original stream.
     */
    public static <E extends Exception> void divert(String threadPrefix, Consumer<String> diverted,
            ThrowingRunnable<E> action) throws E {
        PrintStream original = System.out;
        System.setOut(new ThreadFilteringPrintStream(original, threadPrefix, diverted));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
    }

    /** A runnable that may throw. */
    @FunctionalInterface
    public interface ThrowingRunnable<E extends Exception> {
        void run() throws E;
    }

    private boolean divertCurrentThread() {
        return Thread.currentThread().getName().startsWith(threadPrefix);
    }

    @Override
    public void write(byte[] buf, int off, int len) {
        if (divertCurrentThread()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(len);
            bytes.write(buf, off, len);
            String text = bytes.toString(charset).strip();
            if (!text.isEmpty()) {
                diverted.accept(text);
            }
        } else {
            original.write(buf, off, len);
        }
    }

    @Override
    public void write(int b) {
        if (!divertCurrentThread()) {
            original.write(b);
        }
    }

    @Override
    public void flush() {
        original.flush();
    }
}
