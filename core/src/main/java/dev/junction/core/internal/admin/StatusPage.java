package dev.junction.core.internal.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.junction.core.internal.admin.AdminEndpoint.Response;

/**
 * The status page: one HTML page and its script and style sheet, all inside the jar (no external assets, so it works
 * offline and on an isolated network). The page holds no data; its script reads {@code <admin>/status} every few
 * seconds with the token the operator types in (kept in the tab's session storage, sent as a bearer token, so a page
 * on another site cannot borrow it as it could a cookie or a password the browser remembers), and posts the actions
 * as a script of the same origin, which {@link BrowserGuard} lets through. So the page and its assets are served
 * without the token; what they read and do needs it.
 *
 * <p>A strict {@code Content-Security-Policy} allows only the page's own script, style and calls, and no framing.
 *
 * <p>Immutable and thread-safe.
 */
final class StatusPage {

    /** Where the page's script and style sheet are, under the admin path. */
    static final String ASSETS = "/assets/";

    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
            + " img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final byte[] SCRIPT = resource("status.js");
    private static final byte[] STYLE = resource("status.css");
    private static final String TEMPLATE = new String(resource("status.html"), StandardCharsets.UTF_8);

    private final byte[] html;

    /** Creates the page of an endpoint that does or does not need a token (the page asks for it first if so). */
    StatusPage(boolean tokenRequired) {
        this.html = TEMPLATE.replace("{{token}}", tokenRequired ? "required" : "none")
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Returns whether a request's {@code Accept} prefers HTML: it names {@code text/html} with a weight at least that
     * of JSON (named, or through {@code application/*} or {@code *}{@code /*}). A browser navigating does; {@code curl}
     * ({@code *}{@code /*}) and programs asking for JSON do not, and keep getting the JSON status.
     */
    static boolean wantsHtml(@Nullable String accept) {
        if (accept == null) {
            return false;
        }
        double html = 0;
        double json = 0;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            double weight = weight(parts);
            switch (type) {
                case "text/html" -> html = Math.max(html, weight);
                case "application/json", "application/*", "*/*" -> json = Math.max(json, weight);
                default -> {
                    // Another type says nothing about these two.
                }
            }
        }
        return html > 0 && html >= json;
    }

    private static double weight(String[] parameters) {
        for (int i = 1; i < parameters.length; i++) {
            String parameter = parameters[i].trim();
            if (parameter.length() > 2 && (parameter.charAt(0) == 'q' || parameter.charAt(0) == 'Q')
                    && parameter.charAt(1) == '=') {
                try {
                    return Double.parseDouble(parameter.substring(2).trim());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }

    /**
     * Returns the page for a request to the admin path: the page itself at {@code <admin>/}, or, at {@code <admin>},
     * a redirect there, so the page's relative addresses resolve under the admin path whatever the context path
     * before it (the filter's web application).
     */
    Response page(String rawPath) {
        if (!rawPath.endsWith("/")) {
            String last = rawPath.substring(rawPath.lastIndexOf('/') + 1);
            return new Response(302, Map.of("Location", "./" + last + "/", "Cache-Control", "no-store",
                    "Content-Type", "text/plain;charset=utf-8"), ("see ./" + last + "/\n").getBytes(
                    StandardCharsets.UTF_8));
        }
        return new Response(200, Map.of("Content-Type", "text/html;charset=utf-8", "Cache-Control", "no-store",
                "Content-Security-Policy", POLICY, "X-Content-Type-Options", "nosniff", "X-Frame-Options", "DENY",
                "Referrer-Policy", "no-referrer", "Vary", "Accept"), html);
    }

    /** Returns the asset named {@code name} (what follows {@link #ASSETS}), or null if there is none by that name. */
    static @Nullable Response asset(String name) {
        return switch (name) {
            case "status.js" -> asset("text/javascript;charset=utf-8", SCRIPT);
            case "status.css" -> asset("text/css;charset=utf-8", STYLE);
            default -> null;
        };
    }

    private static Response asset(String type, byte[] body) {
        return new Response(200, Map.of("Content-Type", type, "Cache-Control", "no-store",
                "X-Content-Type-Options", "nosniff"), body);
    }

    private static byte[] resource(String name) {
        try (InputStream in = StatusPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the status page's " + name + " is missing from Junction's jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the status page's " + name, e);
        }
    }
}
