package dev.junction.core.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.ConfigException;
import dev.junction.core.config.ConfigProblem;
import dev.junction.core.config.Validator;
import dev.junction.core.internal.LiveState;
import dev.junction.core.spi.Availability;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.Ticker;

/**
 * The backends of one route, changed at run time and read by every selection.
 *
 * <p>Thread-safe. Writers ({@link #add}, {@link #update}, {@link #remove}) serialise on the pool and publish a new
 * immutable {@link Snapshot}; readers take the current snapshot with one volatile read and never lock, so a change
 * in the middle of a selection can neither throw nor skip a backend: the selection finishes on the snapshot it
 * started with (the copy-on-write of Undertow's {@code LoadBalancingProxyClient} and Armeria's endpoint groups).
 *
 * <pre>{@code
 * BackendPool pool = BackendPool.of(List.of(BackendConfig.of("http://10.0.0.1:8080")), Ticker.system());
 * pool.add(BackendConfig.builder().url("http://10.0.0.2:8080").weight(2).build());
 * pool.addListener((change, backend, snapshot) -> log.info("{} {}", change, backend.id()));
 * }</pre>
 */
public final class BackendPool {

    private static final Logger LOG = LoggerFactory.getLogger(BackendPool.class);

    /**
     * An immutable view of a pool's membership. The lists are unmodifiable and index-addressable without allocation.
     *
     * @param version increases with every change, so a reader can tell which of two snapshots is newer
     * @param all every backend, in the order added
     * @param primaries the backends that are not backups, in the same order
     * @param backups the backup backends, in the same order
     */
    public record Snapshot(long version, List<Backend> all, List<Backend> primaries, List<Backend> backups) {

        /**
         * Creates a snapshot, keeping unmodifiable copies of the lists.
         *
         * @param version increases with every change
         * @param all every backend, in the order added
         * @param primaries the backends that are not backups, in the same order
         * @param backups the backup backends, in the same order
         * @throws NullPointerException if a list is null or holds null
         */
        public Snapshot {
            all = List.copyOf(all);
            primaries = List.copyOf(primaries);
            backups = List.copyOf(backups);
        }

        static Snapshot of(long version, List<Backend> all) {
            List<Backend> primaries = new ArrayList<>();
            List<Backend> backups = new ArrayList<>();
            for (Backend backend : all) {
                (backend.backup() ? backups : primaries).add(backend);
            }
            return new Snapshot(version, all, primaries, backups);
        }

        /**
         * {@return the backend with this id, or null if the snapshot has none}
         *
         * @param id the backend's id
         */
        public @Nullable Backend get(String id) {
            for (int i = 0; i < all.size(); i++) {
                Backend backend = all.get(i);
                if (backend.id().equals(id)) {
                    return backend;
                }
            }
            return null;
        }
    }

    private final Ticker ticker;
    private final List<PoolListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Snapshot snapshot;

    private BackendPool(List<Backend> backends, Ticker ticker) {
        this.ticker = ticker;
        this.snapshot = Snapshot.of(0, backends);
    }

    /**
     * Returns a pool of these backends, each healthy and with fresh numbers, at version 0.
     *
     * @param backends the backends' definitions, in order
     * @param ticker the clock of the backends' live state ({@link Ticker#system()} outside tests)
     * @return the new pool
     * @throws ConfigException if a backend is invalid or two share an id
     */
    public static BackendPool of(List<BackendConfig> backends, Ticker ticker) {
        Objects.requireNonNull(ticker, "ticker");
        List<ConfigProblem> problems = new ArrayList<>();
        List<Backend> created = new ArrayList<>();
        for (int i = 0; i < backends.size(); i++) {
            BackendConfig config = backends.get(i);
            String path = "backends[" + i + "]";
            problems.addAll(Validator.validate(config, path));
            for (Backend earlier : created) {
                if (earlier.id().equals(config.id())) {
                    problems.add(new ConfigProblem(path + ".id", "duplicate id '" + config.id() + "'"));
                }
            }
            if (problems.isEmpty()) {
                created.add(Backend.of(config, new LiveState(ticker)));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new BackendPool(created, ticker);
    }

    /** {@return the clock of the pool's backends' state} */
    public Ticker ticker() {
        return ticker;
    }

    /**
     * Sets whether a backend takes new requests, as an operator decides (HAProxy's {@code set server ... state}):
     * {@link Availability#DRAINING} finishes what it has and takes no new request (sessions pinned to it stay until
     * they expire; panic does not use it either); {@link Availability#UNHEALTHY} takes nothing, as if its checks had
     * failed, and holds until it is set {@link Availability#HEALTHY} again or an active check's verdict changes.
     * Draining holds whatever the checks say, until an operator sets another availability.
     *
     * @param id the backend's id
     * @param availability the availability to set
     * @return whether the pool has a backend with this id
     */
    public boolean availability(String id, Availability availability) {
        Objects.requireNonNull(availability, "availability");
        Backend backend = snapshot.get(id);
        if (backend == null) {
            return false;
        }
        LiveState.of(backend).availability(availability);
        LOG.info("Backend {} set {} by an operator", id, availability);
        return true;
    }

    /** {@return the current membership, taken with one volatile read} */
    public Snapshot snapshot() {
        return snapshot;
    }

    /** {@return every backend of the current snapshot, in the order added, as an unmodifiable list} */
    public List<Backend> all() {
        return snapshot.all();
    }

    /**
     * {@return the backends that take a new request now ({@link Backend#isAvailable()}), in the order added, as a new
     * unmodifiable list}
     */
    public List<Backend> available() {
        List<Backend> all = snapshot.all();
        List<Backend> available = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).isAvailable()) {
                available.add(all.get(i));
            }
        }
        return List.copyOf(available);
    }

    /**
     * {@return the backend with this id, or null if the pool has none}
     *
     * @param id the backend's id
     */
    public @Nullable Backend get(String id) {
        return snapshot.get(id);
    }

    /**
     * Adds a backend, healthy and with fresh numbers, after the others; listeners are told once it is published.
     *
     * @param config the backend's definition
     * @return the added backend
     * @throws ConfigException if the backend is invalid or its id is taken
     */
    public Backend add(BackendConfig config) {
        Backend added;
        Snapshot published;
        synchronized (this) {
            List<ConfigProblem> problems = new ArrayList<>(Validator.validate(config, "backend"));
            if (snapshot.get(config.id()) != null) {
                problems.add(new ConfigProblem("backend.id", "duplicate id '" + config.id() + "'"));
            }
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
            added = Backend.of(config, new LiveState(ticker));
            List<Backend> all = new ArrayList<>(snapshot.all());
            all.add(added);
            published = publish(all);
        }
        LOG.info("Backend {} added ({})", added.id(), added.uri());
        notify(PoolListener.Change.ADDED, added, published);
        return added;
    }

    /**
     * Replaces the definition of the backend with the same id, keeping its live numbers and its place in the order.
     *
     * @param config the backend's new definition, with the id of a backend in the pool
     * @return the backend with its new definition
     * @throws ConfigException if the new definition is invalid
     * @throws IllegalArgumentException if no backend has that id
     */
    public Backend update(BackendConfig config) {
        Backend updated;
        Snapshot published;
        synchronized (this) {
            List<ConfigProblem> problems = Validator.validate(config, "backend");
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
            List<Backend> all = new ArrayList<>(snapshot.all());
            int index = indexOf(all, config.id());
            if (index < 0) {
                throw new IllegalArgumentException("id: '" + config.id()
                        + "' (expected: the id of a backend in the pool)");
            }
            updated = Backend.of(config, all.get(index).state());
            all.set(index, updated);
            published = publish(all);
        }
        LOG.info("Backend {} updated ({})", updated.id(), updated.uri());
        notify(PoolListener.Change.UPDATED, updated, published);
        return updated;
    }

    /**
     * Removes the backend with this id. Requests already sent to it finish; no new one is sent.
     *
     * @param id the backend's id
     * @return the removed backend, or null if there was none with that id
     */
    public @Nullable Backend remove(String id) {
        Backend removed;
        Snapshot published;
        synchronized (this) {
            List<Backend> all = new ArrayList<>(snapshot.all());
            int index = indexOf(all, id);
            if (index < 0) {
                return null;
            }
            removed = all.remove(index);
            published = publish(all);
        }
        LOG.info("Backend {} removed", removed.id());
        notify(PoolListener.Change.REMOVED, removed, published);
        return removed;
    }

    /**
     * Registers a listener told about every later change. A listener that throws is logged and the others are still
     * told.
     *
     * @param listener the listener to add
     * @throws NullPointerException if {@code listener} is null
     */
    public void addListener(PoolListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Unregisters a listener; it is told about no later change. Does nothing if it was not registered.
     *
     * @param listener the listener to remove
     */
    public void removeListener(PoolListener listener) {
        listeners.remove(listener);
    }

    private Snapshot publish(List<Backend> all) {
        Snapshot next = Snapshot.of(snapshot.version() + 1, all);
        snapshot = next;
        return next;
    }

    private void notify(PoolListener.Change change, Backend backend, Snapshot published) {
        for (PoolListener listener : listeners) {
            try {
                listener.poolChanged(change, backend, published);
            } catch (RuntimeException e) {
                // One faulty listener must not stop the others or undo a published change.
                LOG.error("Pool listener {} failed on {} of backend {}", listener, change, backend.id(), e);
            }
        }
    }

    private static int indexOf(List<Backend> backends, String id) {
        for (int i = 0; i < backends.size(); i++) {
            if (backends.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }
}
