package org.communitypulse.streams.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Tokens in files: mounted secrets ({@code *_FILE}) and the token generated when none is configured. */
public final class HttpTokenFiles {

    /** Name of the generated admin token's file in the state directory. */
    public static final String GENERATED_ADMIN_TOKEN = "http-admin.token";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private HttpTokenFiles() {
    }

    /** The token in {@code file}, without surrounding white space (a trailing newline is usual in secrets). */
    public static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
    }

    /**
     * The admin token in {@code stateDir}/{@value #GENERATED_ADMIN_TOKEN}, created readable by the owner only with
     * a new random token when missing; an existing one is kept, so a browser's login survives a restart.
     */
    public static Path generatedAdminToken(Path stateDir) throws IOException {
        Files.createDirectories(stateDir);
        Path file = stateDir.resolve(GENERATED_ADMIN_TOKEN);
        if (!Files.exists(file)) {
            try {
                if (stateDir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                } else {
                    Files.createFile(file);
                }
                Files.writeString(file, AccessTokens.generate() + "\n", StandardCharsets.UTF_8);
            } catch (FileAlreadyExistsException e) {
                // Another instance sharing the directory wrote it first: use theirs.
            }
        }
        return file;
    }
}
