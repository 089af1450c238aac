package dev.junction.core.http;

import org.jspecify.annotations.Nullable;

/** What Junction reads from a {@code Content-Type}, in one place for the engine and the adapters. */
public final class ContentTypes {

    private static final String GRPC = "application/grpc";

    private ContentTypes() {
    }

    /**
     * Returns whether {@code contentType} is gRPC's: {@code application/grpc}, alone or with a sub-type
     * ({@code application/grpc+proto}) or parameters. Not gRPC-Web ({@code application/grpc-web}), whose status
     * travels differently.
     *
     * @param contentType a {@code Content-Type} value, or null
     * @return whether it names gRPC; false for null
     */
    public static boolean isGrpc(@Nullable String contentType) {
        if (contentType == null || !contentType.regionMatches(true, 0, GRPC, 0, GRPC.length())) {
            return false;
        }
        if (contentType.length() == GRPC.length()) {
            return true;
        }
        char next = contentType.charAt(GRPC.length());
        return next == '+' || next == ';' || next == ' ';
    }
}
