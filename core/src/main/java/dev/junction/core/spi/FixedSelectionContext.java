package dev.junction.core.spi;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/** A {@link SelectionContext} over fixed values. Immutable. */
final class FixedSelectionContext implements SelectionContext {

    private final String clientAddress;
    private final String path;
    private final Map<String, String> headers;
    private final Map<String, String> cookies;

    FixedSelectionContext(String clientAddress, String path, Map<String, String> headers,
            Map<String, String> cookies) {
        this.clientAddress = Objects.requireNonNull(clientAddress, "clientAddress");
        this.path = Objects.requireNonNull(path, "path");
        TreeMap<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        byName.putAll(headers);
        this.headers = byName;
        this.cookies = Map.copyOf(cookies);
    }

    @Override
    public String clientAddress() {
        return clientAddress;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public @Nullable String header(String name) {
        return headers.get(name);
    }

    @Override
    public @Nullable String cookie(String name) {
        return cookies.get(name);
    }

    @Override
    public String toString() {
        return "SelectionContext{" + clientAddress + " " + path + " headers=" + headers.keySet().toString()
                .toLowerCase(Locale.ROOT) + '}';
    }
}
