package org.communitypulse.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server for the batch peer: {@code initdb} of a fresh cluster in a temporary
 * directory, started with {@code pg_ctl} on a free localhost port, stopped and deleted on close.
 *
 * <p>The binaries come from {@code -Dbench.pg.bin=DIR} or else the newest {@code /usr/lib/postgresql/N/bin}
 * (Debian's {@code postgresql} package). {@code initdb} and the server refuse to run as root, so when the
 * harness runs as root they run as the OS user {@code -Dbench.pg.user} (default {@code postgres}, which the
 * Debian package creates) through {@code runuser}, and the cluster directory is handed to that user.
 *
 * <p>The server is tuned as a scratch batch engine, not a system of record: no fsync, no synchronous
 * commit, no full-page writes (a crash loses a recompute, which is rerun), and no autovacuum (the
 * peer analyses its table after each load; a vacuum in the background would compete with the pipeline
 * runs on the same cores).
 */
public final class PostgresCluster implements AutoCloseable {

    /** Why the peer cannot run here; the suite reports it and carries on without the peer. */
    public static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    public static final String BIN_PROPERTY = "bench.pg.bin";
    public static final String USER_PROPERTY = "bench.pg.user";
    private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");
    private static final String SUPERUSER = "postgres";
    private static final long COMMAND_TIMEOUT_SECONDS = 120;

    private final Path bin;
    private final List<String> runAs;
    private final Path dir;
    private final int port;
    private final String version;

    private PostgresCluster(Path bin, List<String> runAs, Path dir, int port, String version) {
        this.bin = bin;
        this.runAs = runAs;
        this.dir = dir;
        this.port = port;
        this.version = version;
    }

    /** Creates and starts a cluster, or says why it cannot. */
    public static PostgresCluster start() throws Unavailable, IOException, InterruptedException {
        Path bin = binaries().orElseThrow(() -> new Unavailable("PostgreSQL is not installed (no "
                + DEBIAN_ROOT + "/N/bin/initdb and no -D" + BIN_PROPERTY + "=DIR); on Debian: apt-get install postgresql"));
        List<String> runAs = new ArrayList<>();
        Path dir = Files.createTempDirectory("pulse-pg-");
        if ("root".equals(System.getProperty("user.name"))) {
            String user = System.getProperty(USER_PROPERTY, "postgres");
            UserPrincipal owner;
            try {
                owner = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
            } catch (IOException e) {
                delete(dir);
                throw new Unavailable("running as root and there is no OS user '" + user + "' to run PostgreSQL as "
                        + "(initdb refuses root); create one or pass -D" + USER_PROPERTY + "=USER");
            }
            Files.setOwner(dir, owner);
            runAs.addAll(List.of("runuser", "-u", user, "--"));
        }
        int port = freePort();
        PostgresCluster cluster = new PostgresCluster(bin, runAs, dir, port, "unknown");
        try {
            cluster.run(bin.resolve("initdb").toString(), "-D", cluster.data().toString(), "-U", SUPERUSER,
                    "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync");
            cluster.run(bin.resolve("pg_ctl").toString(), "-D", cluster.data().toString(), "-l",
                    dir.resolve("server.log").toString(), "-w", "-t", "60", "-o", String.join(" ",
                            "-p", Integer.toString(port), "-k", dir.toString(), "-c", "listen_addresses=127.0.0.1",
                            "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "autovacuum=off",
                            "-c", "shared_buffers=512MB", "-c", "work_mem=256MB", "-c", "maintenance_work_mem=512MB",
                            "-c", "max_wal_size=8GB"), "start");
        } catch (IOException e) {
            cluster.close();
            throw e;
        }
        try (Connection c = cluster.connect()) {
            return new PostgresCluster(bin, runAs, dir, port, c.getMetaData().getDatabaseProductVersion());
        } catch (SQLException e) {
            cluster.close();
            throw new IOException("PostgreSQL started but refuses connections: " + e.getMessage(), e);
        }
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", SUPERUSER, "");
    }

    public String version() {
        return version;
    }

    @Override
    public void close() throws IOException {
        try {
            if (Files.exists(data().resolve("postmaster.pid"))) {
                run(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "fast", "-w", "stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping PostgreSQL", e);
        } finally {
            delete(dir);
        }
    }

    private Path data() {
        return dir.resolve("data");
    }

    private void run(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(runAs);
        full.addAll(List.of(command));
        Path log = Files.createTempFile("pulse-pg-cmd-", ".log");
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", full) + " did not finish within " + COMMAND_TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", full) + " failed (exit " + p.exitValue() + "): "
                        + Files.readString(log, StandardCharsets.UTF_8).strip());
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static Optional<Path> binaries() throws IOException {
        String configured = System.getProperty(BIN_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path bin = Path.of(configured);
            return Files.isExecutable(bin.resolve("initdb")) ? Optional.of(bin) : Optional.empty();
        }
        if (!Files.isDirectory(DEBIAN_ROOT)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(DEBIAN_ROOT)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(PostgresCluster::majorVersion));
        }
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
