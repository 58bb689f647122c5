package org.communitypulse.streams.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.plugin.bundled.CorsPlugin;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.communitypulse.streams.http.AccessTokens.Scope;

/**
 * Who may ask the HTTP server what (docs/dashboard.md, "Access"), installed before any route:
 * <ul>
 *   <li>a Host header that is not a name of this server is refused (421): a page on another site whose name was
 *       re-pointed at 127.0.0.1 (DNS rebinding) must not reach the API through the victim's browser;</li>
 *   <li>every request needs a token, as {@code Authorization: Bearer}, as the password of
 *       {@code Authorization: Basic}, or in the HttpOnly cookie that {@value #LOGIN_PATH} sets; without one,
 *       a browser asking for a page is sent to the login page, anything else gets 401;</li>
 *   <li>routes registered with {@link Scope#ADMIN} as role (per-member personal data) need the admin token (403);</li>
 *   <li>{@value PulseHttpServer#HEALTH_PATH} and {@value PulseHttpServer#READY_PATH} (probes), the login page,
 *       the OpenAPI document and, when public, {@value PulseHttpServer#METRICS_PATH} need nothing;</li>
 *   <li>no CORS headers unless origins are configured.</li>
 * </ul>
 * The admin check uses the role of the route Javalin matched, not the path text, so an encoded or otherwise
 * disguised path cannot skip it; everything not listed as open needs a token (deny by default).
 */
public final class AccessControl {

    public static final String LOGIN_PATH = "/login";
    public static final String LOGOUT_PATH = "/logout";
    public static final String COOKIE = "pulse_session";
    /** A browser stays logged in this long (the cookie's Max-Age). */
    static final int COOKIE_MAX_AGE_SECONDS = 7 * 24 * 3600;
    private static final String SCOPE_ATTRIBUTE = "pulse.scope";
    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "::1");

    private final HttpSettings settings;
    private final Set<String> allowedHosts;
    private final boolean anyHost;

    /** @param ownNames names under which others reach this instance (its advertised host), accepted as Host */
    public AccessControl(HttpSettings settings, Set<String> ownNames) {
        this.settings = settings;
        Set<String> hosts = new HashSet<>(LOCAL_HOSTS);
        settings.allowedHosts().forEach(h -> hosts.add(normalise(h)));
        ownNames.forEach(h -> hosts.add(normalise(h)));
        if (!isWildcard(settings.host())) {
            hosts.add(normalise(settings.host()));
        }
        this.anyHost = hosts.contains(HttpSettings.ANY_HOST);
        this.allowedHosts = Set.copyOf(hosts);
    }

    /** Installs the checks and the login routes; call before any other route is added. */
    void install(JavalinConfig config) {
        if (!settings.corsOrigins().isEmpty()) {
            config.registerPlugin(new CorsPlugin(cors -> cors.addRule(rule -> {
                String first = settings.corsOrigins().get(0);
                rule.allowHost(first, settings.corsOrigins().subList(1, settings.corsOrigins().size())
                        .toArray(String[]::new));
            })));
        }
        config.routes.before(this::check);
        config.routes.beforeMatched(ctx -> {
            if (ctx.routeRoles().contains(Scope.ADMIN) && scope(ctx) != Scope.ADMIN) {
                deny(ctx, HttpStatus.FORBIDDEN, "this route needs the admin token: it shows per-member data or changes alerts");
            }
        });
        config.routes.get(LOGIN_PATH, ctx -> {
            String token = ctx.queryParam("token");
            if (token == null) {
                loginPage(ctx, HttpStatus.OK, null);
            } else {
                login(ctx, token);
            }
        });
        config.routes.post(LOGIN_PATH, ctx -> login(ctx, ctx.formParam("token")));
        config.routes.post(LOGOUT_PATH, ctx -> {
            ctx.header("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
            ctx.redirect(LOGIN_PATH, HttpStatus.SEE_OTHER);
        });
    }

    private void check(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        // same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on the page's own form posts.
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("X-Frame-Options", "DENY");
        String path = ctx.path();
        boolean probe = HandlerType.GET.equals(ctx.method()) && (PulseHttpServer.HEALTH_PATH.equals(path)
                || PulseHttpServer.READY_PATH.equals(path)
                || (settings.metricsPublic() && PulseHttpServer.METRICS_PATH.equals(path)));
        if (probe) {
            // Orchestrators and scrapers address pods by IP; these answers hold nothing to protect.
            return;
        }
        if (!hostAllowed(ctx.header("Host"))) {
            deny(ctx, HttpStatus.MISDIRECTED_REQUEST, "unknown Host; add it to http.allowed.hosts");
            return;
        }
        if (HandlerType.POST.equals(ctx.method()) && !sameOrigin(ctx)) {
            deny(ctx, HttpStatus.FORBIDDEN, "cross-origin form posts are refused");
            return;
        }
        if (settings.tokens().isEmpty()) {
            ctx.attribute(SCOPE_ATTRIBUTE, Scope.ADMIN);
            return;
        }
        boolean open = LOGIN_PATH.equals(path) || LOGOUT_PATH.equals(path)
                || (HandlerType.GET.equals(ctx.method()) && PulseHttpServer.OPENAPI_PATH.equals(path))
                || (HandlerType.OPTIONS.equals(ctx.method()) && !settings.corsOrigins().isEmpty());
        Optional<Scope> scope = settings.tokens().get().scopeOf(presented(ctx));
        scope.ifPresent(s -> ctx.attribute(SCOPE_ATTRIBUTE, s));
        if (open || scope.isPresent()) {
            return;
        }
        if (HandlerType.GET.equals(ctx.method()) && !path.startsWith("/api/") && acceptsHtml(ctx)) {
            ctx.redirect(LOGIN_PATH, HttpStatus.SEE_OTHER);
            ctx.skipRemainingHandlers();
            return;
        }
        ctx.header("WWW-Authenticate", "Bearer realm=\"community-pulse\"");
        deny(ctx, HttpStatus.UNAUTHORIZED, "a token is needed: Authorization: Bearer <token> (docs/dashboard.md)");
    }

    static Scope scope(Context ctx) {
        return ctx.attribute(SCOPE_ATTRIBUTE);
    }

    /** The token of the Authorization header (Bearer, or Basic's password) or of the login cookie. */
    private static String presented(Context ctx) {
        String authorization = ctx.header("Authorization");
        if (authorization != null) {
            String value = authorization.trim();
            if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return value.substring(7).trim();
            }
            if (value.regionMatches(true, 0, "Basic ", 0, 6)) {
                String decoded = decode(value.substring(6).trim());
                int colon = decoded == null ? -1 : decoded.indexOf(':');
                return colon < 0 ? null : decoded.substring(colon + 1);
            }
            return null;
        }
        String cookie = ctx.cookie(COOKIE);
        return cookie == null ? null : decode(cookie);
    }

    private static String decode(String base64) {
        try {
            return new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void login(Context ctx, String token) {
        Optional<Scope> scope = settings.tokens().flatMap(tokens -> tokens.scopeOf(token));
        if (settings.tokens().isPresent() && scope.isEmpty()) {
            loginPage(ctx, HttpStatus.UNAUTHORIZED, "That token is not valid here.");
            return;
        }
        if (token != null && scope.isPresent()) {
            String value = Base64.getUrlEncoder().withoutPadding().encodeToString(token.getBytes(StandardCharsets.UTF_8));
            ctx.header("Set-Cookie", COOKIE + "=" + value + "; Path=/; Max-Age=" + COOKIE_MAX_AGE_SECONDS
                    + "; HttpOnly; SameSite=Strict" + (secure(ctx) ? "; Secure" : ""));
        }
        // Redirected so the token leaves the address bar and the history entry.
        ctx.redirect("/", HttpStatus.SEE_OTHER);
    }

    private static boolean secure(Context ctx) {
        return "https".equalsIgnoreCase(ctx.scheme())
                || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }

    private static void loginPage(Context ctx, HttpStatus status, String error) {
        ctx.status(status).contentType("text/html; charset=utf-8").header("Cache-Control", "no-store").result("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>Community Pulse: log in</title>
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}
                input{width:100%%;padding:.5rem;margin:.5rem 0;box-sizing:border-box}.error{color:#b91c1c}</style>
                </head><body><h1>Community Pulse</h1>
                <p>Enter the dashboard's read or admin token. <code>pulse run</code> prints where it wrote one.</p>
                %s<form method="post" action="/login"><label for="token">Token</label>
                <input id="token" name="token" type="password" autocomplete="current-password" autofocus required>
                <button id="login" type="submit">Log in</button></form></body></html>
                """.formatted(error == null ? "" : "<p class=\"error\" id=\"login-error\">" + error + "</p>"));
    }

    private boolean hostAllowed(String hostHeader) {
        if (anyHost || hostHeader == null) {
            // No Host at all is HTTP/1.0 from a tool, not a browser: DNS rebinding always sends the attacker's name.
            return true;
        }
        return allowedHosts.contains(hostOnly(hostHeader));
    }

    /**
     * A POST from a browser must come from a page of this server: browsers send Sec-Fetch-Site, and an Origin
     * (opaque, "null", from sandboxed frames and some referrer policies). Tools send neither.
     */
    private boolean sameOrigin(Context ctx) {
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null && !"same-origin".equals(site) && !"none".equals(site)) {
            return false;
        }
        String origin = ctx.header("Origin");
        if (origin == null || "null".equals(origin)) {
            return origin == null || site != null;
        }
        int scheme = origin.indexOf("://");
        String host = scheme < 0 ? origin : origin.substring(scheme + 3);
        return hostAllowed(host);
    }

    /** The host of a Host header value: lower case, without port, IPv6 without brackets. */
    static String hostOnly(String hostHeader) {
        String value = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            return end < 0 ? value : value.substring(1, end);
        }
        int colon = value.lastIndexOf(':');
        String host = colon >= 0 && value.indexOf(':') == colon ? value.substring(0, colon) : value;
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    private static String normalise(String host) {
        String value = host.trim().toLowerCase(Locale.ROOT);
        return HttpSettings.ANY_HOST.equals(value) ? value : hostOnly(value);
    }

    static boolean isWildcard(String host) {
        return host == null || host.isBlank() || "0.0.0.0".equals(host) || "::".equals(host) || "[::]".equals(host);
    }

    private static boolean acceptsHtml(Context ctx) {
        String accept = ctx.header("Accept");
        return accept != null && accept.contains("text/html");
    }

    private static void deny(Context ctx, HttpStatus status, String reason) {
        ctx.status(status).contentType("application/json")
                .result("{\"error\":\"" + reason.replace("\"", "'") + "\"}");
        ctx.skipRemainingHandlers();
    }
}
