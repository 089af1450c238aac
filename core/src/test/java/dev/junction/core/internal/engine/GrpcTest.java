package dev.junction.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.junction.core.http.ContentTypes;
import dev.junction.core.http.Fields;

class GrpcTest {

    private static long timeout(String value) {
        return Grpc.timeoutNanos(new Fields().add("grpc-timeout", value));
    }

    @Test
    void readsEveryUnitOfGrpcTimeoutAndBoundsTheLargest() {
        assertThat(timeout("2H")).isEqualTo(TimeUnit.HOURS.toNanos(2));
        assertThat(timeout("3M")).isEqualTo(TimeUnit.MINUTES.toNanos(3));
        assertThat(timeout("1S")).isEqualTo(TimeUnit.SECONDS.toNanos(1));
        assertThat(timeout("250m")).isEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
        assertThat(timeout("7u")).isEqualTo(7_000);
        assertThat(timeout("0n")).isEqualTo(1);
        // Valid, and far beyond any deadline worth keeping: bounded, so now plus it cannot overflow.
        assertThat(timeout("99999999H")).isEqualTo(TimeUnit.DAYS.toNanos(365));
        assertThat(Long.MAX_VALUE - timeout("99999999H")).isGreaterThan(System.nanoTime());
    }

    @Test
    void anUnreadableGrpcTimeoutIsNone() {
        assertThat(timeout("")).isZero();
        assertThat(timeout("5")).isZero();
        assertThat(timeout("5s")).isZero();
        assertThat(timeout("123456789S")).as("more than 8 digits").isZero();
        assertThat(timeout("-1S")).isZero();
        assertThat(Grpc.timeoutNanos(new Fields())).isZero();
    }

    @Test
    void grpcIsApplicationGrpcWithASubtypeOrParametersButNotGrpcWeb() {
        assertThat(ContentTypes.isGrpc("application/grpc")).isTrue();
        assertThat(ContentTypes.isGrpc("application/grpc+proto")).isTrue();
        assertThat(ContentTypes.isGrpc("Application/GRPC; charset=utf-8")).isTrue();
        assertThat(ContentTypes.isGrpc("application/grpc-web")).isFalse();
        assertThat(ContentTypes.isGrpc("application/grpcx")).isFalse();
        assertThat(ContentTypes.isGrpc("application/json")).isFalse();
        assertThat(ContentTypes.isGrpc(null)).isFalse();
    }

    @Test
    void mapsJunctionsAnswersAsGrpcMapsHttpStatuses() {
        assertThat(Grpc.status(503, false)).isEqualTo(Grpc.UNAVAILABLE);
        assertThat(Grpc.status(502, false)).isEqualTo(Grpc.UNAVAILABLE);
        assertThat(Grpc.status(504, false)).isEqualTo(Grpc.UNAVAILABLE);
        assertThat(Grpc.status(504, true)).isEqualTo(Grpc.DEADLINE_EXCEEDED);
        assertThat(Grpc.status(400, false)).isEqualTo(13);
        assertThat(Grpc.status(431, false)).isEqualTo(2);
        assertThat(Grpc.message("caf\u00e9 100%\n")).isEqualTo("caf%C3%A9 100%25%0A");
    }
}
