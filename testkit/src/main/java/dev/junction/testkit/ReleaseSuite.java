package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.junction.core.config.AdminConfig;
import dev.junction.core.config.AffinityConfig;
import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.ReleaseConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.status.ReleaseStatus;
import dev.junction.core.status.RouteStatus;

/**
 * Release groups ({@code backends[].group}, {@code routes[].release}): a canary's share held per client, forced by a
 * header, raised step by step and rolled back when it errs; a blue-green switch under load; sessions that stay or
 * follow.
 */
public abstract class ReleaseSuite {

    private static final String TOKEN = "release-suite-admin-token";

    /** Starts the adapter under test over {@code config}; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    @RegisterExtension
    protected final StartedServers servers = new StartedServers();

    private final HttpClient http = HttpClient.newHttpClient();

    private static RouteConfig.Builder route(TestBackend first, String firstGroup, TestBackend second,
            String secondGroup, ReleaseConfig release) {
        return RouteConfig.builder().name("app").prefix("/")
                .backend(BackendConfig.builder().url(first.url()).id(first.name).group(firstGroup).build())
                .backend(BackendConfig.builder().url(second.url()).id(second.name).group(secondGroup).build())
                .release(release);
    }

    private static ReleaseConfig release(Map<String, Integer> shares, String key, ReleaseConfig.Rollout rollout,
            ReleaseConfig.Rollback rollback, ReleaseConfig.Sessions sessions) {
        return new ReleaseConfig(null, shares, key, "X-Canary", null, rollout, rollback, sessions);
    }

    private HttpResponse<String> get(Gateway gateway, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String backendOf(HttpResponse<String> response) {
        return response.headers().firstValue("X-Backend").orElseThrow();
    }

    /** Sends one request per user, {@code users} of them, 32 at a time; returns the backend that served each. */
    private Map<Integer, String> perUser(Gateway gateway, int users) throws Exception {
        Map<Integer, String> served = new ConcurrentHashMap<>();
        Semaphore inFlight = new Semaphore(32);
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (int user = 0; user < users; user++) {
            int id = user;
            inFlight.acquire();
            sent.add(http.sendAsync(HttpRequest.newBuilder(gateway.uri("/x")).timeout(Duration.ofSeconds(10))
                    .header("X-User", "user-" + id).build(), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, failure) -> {
                        inFlight.release();
                        if (response != null && response.statusCode() == 200) {
                            served.put(id, backendOf(response));
                        }
                    }));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        assertThat(served).as("every request answered 200").hasSize(users);
        return served;
    }

    private static ReleaseStatus release(Gateway gateway) {
        RouteStatus route = gateway.junction().status().get(0);
        assertThat(route.release()).isNotNull();
        return route.release();
    }

    @Test
    void aFivePercentCanaryTakesFivePercentOfTheUsersAndKeepsEachOfThem() throws Exception {
        TestBackend stable = servers.add(TestBackend.start("stable"));
        TestBackend canary = servers.add(TestBackend.start("canary"));
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder().route(route(stable, "stable", canary,
                "canary", release(Map.of("canary", 5), "header:X-User", ReleaseConfig.Rollout.NONE,
                        ReleaseConfig.Rollback.NONE, ReleaseConfig.Sessions.STAY)).build()).build()));

        Map<Integer, String> first = perUser(gateway, 10_000);
        long inCanary = first.values().stream().filter("canary"::equals).count();
        assertThat(inCanary / 100.0).as("the canary's share of 10,000 users, in percent").isBetween(4.0, 6.0);

        Map<Integer, String> again = perUser(gateway, 500);
        for (int user = 0; user < 500; user++) {
            assertThat(again.get(user)).as("user %d keeps its group", user).isEqualTo(first.get(user));
        }
        ReleaseStatus status = release(gateway);
        assertThat(status.groups()).extracting(ReleaseStatus.Group::name, ReleaseStatus.Group::share)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("stable", 95),
                        org.assertj.core.groups.Tuple.tuple("canary", 5));
        assertThat(status.groups().get(1).requests()).isEqualTo(canary.requests.get());
    }

    @Test
    void aHeaderForcesTheGroupWhateverTheShares() throws Exception {
        TestBackend stable = servers.add(TestBackend.start("stable"));
        TestBackend canary = servers.add(TestBackend.start("canary"));
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder().route(route(stable, "stable", canary,
                "canary", release(Map.of(), "client", ReleaseConfig.Rollout.NONE, ReleaseConfig.Rollback.NONE,
                        ReleaseConfig.Sessions.STAY)).build()).build()));

        assertThat(backendOf(get(gateway, "/x"))).isEqualTo("stable");
        assertThat(backendOf(get(gateway, "/x", "X-Canary", "always"))).isEqualTo("canary");
        assertThat(backendOf(get(gateway, "/x", "X-Canary", "canary"))).isEqualTo("canary");
        assertThat(backendOf(get(gateway, "/x", "X-Canary", "never"))).isEqualTo("stable");
        assertThat(backendOf(get(gateway, "/x", "X-Canary", "nonsense"))).as("not a group: drawn").isEqualTo("stable");

        canary.close();
        assertThat(backendOf(get(gateway, "/x", "X-Canary", "always"))).as("a group that cannot serve falls back")
                .isEqualTo("stable");
    }

    @Test
    void anErroringCanaryIsRolledBackAtOnceAndTheStatusSaysWhy() throws Exception {
        TestBackend stable = servers.add(TestBackend.start("stable"));
        TestBackend canary = servers.add(TestBackend.start("canary"));
        canary.failWith.set(500);
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder().route(route(stable, "stable", canary,
                "canary", release(Map.of("canary", 50), "header:X-User", ReleaseConfig.Rollout.NONE,
                        new ReleaseConfig.Rollback(10, 0, 10, Duration.ofSeconds(2)), ReleaseConfig.Sessions.STAY))
                .build()).build()));

        AtomicInteger user = new AtomicInteger();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (int i = 0; i < 20; i++) {
                get(gateway, "/x", "X-User", "user-" + user.incrementAndGet());
            }
            return release(gateway).state().equals("rolled-back");
        });
        ReleaseStatus status = release(gateway);
        assertThat(status.lastEvent()).startsWith("rolled back to stable: canary's error rate 100.0% against"
                + " stable's 0.0% over the last 2 s (margin 10 points)");
        assertThat(status.groups()).extracting(ReleaseStatus.Group::share).containsExactly(100, 0);
        int before = canary.requests.get();
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> response = get(gateway, "/x", "X-User", "user-" + user.incrementAndGet());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(backendOf(response)).isEqualTo("stable");
        }
        assertThat(canary.requests.get()).isEqualTo(before);
    }

    @Test
    void aRolloutRaisesTheShareStepByStepAndTheAdminEndpointChangesIt() throws Exception {
        TestBackend stable = servers.add(TestBackend.start("stable"));
        TestBackend canary = servers.add(TestBackend.start("canary"));
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder()
                .admin(AdminConfig.at("/_junction").withToken(TOKEN))
                .route(route(stable, "stable", canary, "canary", release(Map.of(), "client",
                        new ReleaseConfig.Rollout("canary", List.of(20, 60, 100), Duration.ofSeconds(1), true),
                        ReleaseConfig.Rollback.NONE, ReleaseConfig.Sessions.STAY)).build())
                .build()));

        assertThat(release(gateway).state()).isEqualTo("rolling-out");
        assertThat(release(gateway).groups().get(1).share()).isEqualTo(20);
        assertThat(release(gateway).nextStepAt()).isNotNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> release(gateway).groups().get(1).share() == 100);
        assertThat(release(gateway).state()).isEqualTo("steady");
        assertThat(release(gateway).lastEvent()).isEqualTo("rollout: canary at 100%, the last step");

        HttpResponse<String> set = admin(gateway, "share=canary:30");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(set.body()).contains("\"share\" : 30").contains("canary set to 30% by the admin endpoint");
        HttpResponse<String> refused = admin(gateway, "share=stable:30");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("'stable' is the baseline, which takes what the other groups leave");
        assertThat(admin(gateway, "share=blue:10").body()).contains("no group 'blue' (the groups: stable, canary)");
        HttpResponse<String> rolledBack = admin(gateway, "action=rollback&reason=bad%20logs");
        assertThat(rolledBack.body()).contains("rolled back to stable: bad logs (the admin endpoint)");
        assertThat(release(gateway).groups().get(0).share()).isEqualTo(100);
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(gateway.uri("/_junction/releases/app"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> admin(Gateway gateway, String query) throws Exception {
        return http.send(HttpRequest.newBuilder(gateway.uri("/_junction/releases/app?" + query))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBlueGreenSwitchUnderLoadLosesNoRequest() throws Exception {
        TestBackend blue = servers.add(TestBackend.start("blue"));
        TestBackend green = servers.add(TestBackend.start("green"));
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder()
                .admin(AdminConfig.at("/_junction").withToken(TOKEN))
                .route(route(blue, "blue", green, "green", release(Map.of(), "client", ReleaseConfig.Rollout.NONE,
                        ReleaseConfig.Rollback.NONE, ReleaseConfig.Sessions.STAY)).build())
                .build()));

        AtomicBoolean switched = new AtomicBoolean();
        Map<String, AtomicInteger> afterSwitch = new ConcurrentHashMap<>();
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        for (int c = 0; c < 8; c++) {
            clients.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 2000 && System.nanoTime() < end; i++) {
                    boolean after = switched.get();
                    try {
                        HttpResponse<String> response = get(gateway, "/slow?ms=5");
                        if (response.statusCode() != 200) {
                            failures.incrementAndGet();
                        } else if (after) {
                            afterSwitch.computeIfAbsent(backendOf(response), name -> new AtomicInteger())
                                    .incrementAndGet();
                        }
                        answered.incrementAndGet();
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                }
            }));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> answered.get() > 100);
        HttpResponse<String> activated = admin(gateway, "activate=green");
        assertThat(activated.statusCode()).as(activated.body()).isEqualTo(200);
        switched.set(true);
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(failures.get()).as("requests that failed").isZero();
        assertThat(blue.requests.get()).isPositive();
        assertThat(afterSwitch.keySet()).as("every request that started after the switch").containsExactly("green");
        assertThat(release(gateway).lastEvent()).isEqualTo("green active (100%) by the admin endpoint");
    }

    @Test
    void aSessionPinnedToTheOldGroupStaysOrFollowsAsConfigured() throws Exception {
        for (ReleaseConfig.Sessions sessions : ReleaseConfig.Sessions.values()) {
            TestBackend blue = servers.add(TestBackend.start("blue"));
            TestBackend green = servers.add(TestBackend.start("green"));
            Gateway gateway = servers.add(startGateway(JunctionConfig.builder().route(route(blue, "blue", green,
                    "green", release(Map.of(), "client", ReleaseConfig.Rollout.NONE, ReleaseConfig.Rollback.NONE,
                            sessions)).affinity(AffinityConfig.builder(AffinityConfig.Mode.COOKIE)
                            .secret("release-suite-affinity-secret").build()).build()).build()));

            HttpResponse<String> first = get(gateway, "/x");
            assertThat(backendOf(first)).isEqualTo("blue");
            String cookie = first.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            gateway.junction().route("app").release().activate("green");

            Map<String, Integer> served = new HashMap<>();
            for (int i = 0; i < 10; i++) {
                served.merge(backendOf(get(gateway, "/x", "Cookie", cookie)), 1, Integer::sum);
            }
            assertThat(served).as("sessions: %s", sessions)
                    .isEqualTo(Map.of(sessions == ReleaseConfig.Sessions.STAY ? "blue" : "green", 10));
            assertThat(backendOf(get(gateway, "/x"))).as("a new client").isEqualTo("green");
        }
    }
}
