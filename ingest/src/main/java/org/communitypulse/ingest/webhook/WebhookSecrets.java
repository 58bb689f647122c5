package org.communitypulse.ingest.webhook;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Webhook secrets read from the environment, never from code or config files in the repository.
 *
 * <p>For each {@link WebhookSource} either {@code PULSE_<SOURCE>_SECRET} holds the secret or
 * {@code PULSE_<SOURCE>_SECRET_FILE} names a file holding it (the form used by Docker/Kubernetes secrets).
 * Setting both is an error, because silently preferring one hides a misconfiguration. Secrets are resolved on
 * each call so a rotated secret file is picked up without a restart.
 *
 * <p>Per-community secrets: {@code PULSE_<SOURCE>_SECRETS_DIR} names a directory holding one file per community,
 * named exactly as the community id (the id alphabet {@code [A-Za-z0-9._-]} is also that of Kubernetes secret
 * keys; environment variable names could not hold {@code .} or {@code -} without a lossy mapping).
 */
public final class WebhookSecrets {

    private final Map<String, String> environment;

    private WebhookSecrets(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** Secrets from the process environment. */
    public static WebhookSecrets fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** Secrets from the given variables (tests and embedding applications pass their own map). */
    public static WebhookSecrets fromEnvironment(Map<String, String> environment) {
        return new WebhookSecrets(environment);
    }

    /**
     * The secret for {@code source}.
     *
     * @throws WebhookSecretException naming the variables when the secret is not configured or cannot be read
     */
    public WebhookSecret require(WebhookSource source) {
        return find(source).orElseThrow(() -> new WebhookSecretException("no webhook secret for " + source
                + ": set " + source.secretVariable() + " or " + source.secretFileVariable()));
    }

    /**
     * The secret for {@code source}, or empty when neither variable is set.
     *
     * @throws WebhookSecretException when a variable is set but unusable (both set, blank, unreadable file)
     */
    public Optional<WebhookSecret> find(WebhookSource source) {
        String direct = environment.get(source.secretVariable());
        String file = environment.get(source.secretFileVariable());
        if (direct != null && file != null) {
            throw new WebhookSecretException("both " + source.secretVariable() + " and "
                    + source.secretFileVariable() + " are set; set only one");
        }
        if (direct != null) {
            return Optional.of(nonBlank(direct, source.secretVariable()));
        }
        if (file != null) {
            return Optional.of(nonBlank(readFile(file, source.secretFileVariable()), source.secretFileVariable()));
        }
        return Optional.empty();
    }

    /** Whether {@code PULSE_<SOURCE>_SECRETS_DIR} is set. */
    public boolean hasCommunitySecrets(WebhookSource source) {
        return environment.get(source.secretsDirVariable()) != null;
    }

    /**
     * The secret of {@code community} for {@code source}: the file {@code <PULSE_<SOURCE>_SECRETS_DIR>/<community>},
     * or empty when the directory is not configured or holds no file for it.
     *
     * @param community a community id already checked against the id pattern (no separators, no leading dot)
     * @throws WebhookSecretException when the file exists but is unusable (blank, unreadable, not UTF-8)
     */
    public Optional<WebhookSecret> findForCommunity(WebhookSource source, String community) {
        String dir = environment.get(source.secretsDirVariable());
        if (dir == null) {
            return Optional.empty();
        }
        if (dir.isBlank()) {
            throw new WebhookSecretException(source.secretsDirVariable() + " is set but empty");
        }
        Path directory = Path.of(dir);
        Path file = directory.resolve(community).normalize();
        if (community.isEmpty() || community.startsWith(".") || !directory.normalize().equals(file.getParent())) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(nonBlank(readFile(file.toString(), source.secretsDirVariable()),
                source.secretsDirVariable() + "/" + community));
    }

    private static WebhookSecret nonBlank(String value, String variable) {
        if (value.isBlank()) {
            throw new WebhookSecretException("webhook secret from " + variable + " is blank");
        }
        return WebhookSecret.of(value);
    }

    private static String readFile(String file, String variable) {
        if (file.isBlank()) {
            throw new WebhookSecretException(variable + " is set but empty");
        }
        try {
            byte[] bytes = Files.readAllBytes(Path.of(file));
            // Strict decoding: a secret that is not valid UTF-8 would otherwise be silently altered.
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            // Files written by `echo` or editors end with a newline that is not part of the secret.
            return text.strip();
        } catch (CharacterCodingException e) {
            throw new WebhookSecretException("webhook secret file named by " + variable
                    + " (" + file + ") is not valid UTF-8");
        } catch (IOException | RuntimeException e) {
            // The exception message holds only the path, never file content.
            throw new WebhookSecretException("cannot read webhook secret file named by "
                    + variable + " (" + file + "): " + e.getClass().getSimpleName(), e);
        }
    }

    /** Lists which variables are set, never their values. */
    @Override
    public String toString() {
        StringJoiner joiner = new StringJoiner(", ", "WebhookSecrets[", "]");
        for (WebhookSource source : WebhookSource.values()) {
            String origin = environment.containsKey(source.secretVariable()) ? source.secretVariable()
                    : environment.containsKey(source.secretFileVariable()) ? source.secretFileVariable()
                    : "missing";
            joiner.add(source + "=" + origin);
        }
        return joiner.toString();
    }
}
