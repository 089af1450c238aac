#!/usr/bin/env bash
# Junction's overload benchmark: one backend of a fixed capacity C behind the gateway, first loaded lightly by the
# critical class alone (its unloaded latency), then offered 3C, a tenth of it critical and the rest bulk. The client
# (OverloadLoad) is open-loop: each class arrives at a fixed rate whatever the answers take. It reports, per class,
# the requests answered 200 and 503 and the 200s' latency, with the queue's deepest and the gateway's resident memory.
#
# The backend (BenchBackend /work) spends 20 ms of one of its 8 worker threads on each request: C = 400 requests/s.
# The gateway holds the backend to 8 requests at once (maxConcurrent) and queues the rest in two priority classes,
# critical before bulk, at most 64 waiting for at most 500 ms. Its heap is fixed and touched at start
# (-Xms256m -Xmx256m -XX:+AlwaysPreTouch), so its resident memory says whether anything outside the heap grows. The
# same run is then repeated with one class, to show what the classes buy.
#
#   benchmarks/overload.sh                      # two configurations: 10 s warm-up, 20 s unloaded, 30 s at 3C (~2.5 min)
#   benchmarks/overload.sh --seconds 60         # longer overload phases
#
# Everything listens on 127.0.0.1; every process this script starts is stopped by its PID on exit; every wait is
# bounded. Needs a JDK 17+ and curl.
set -euo pipefail

seconds=30
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
        *) echo "overload.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
results="$(mktemp -d /tmp/junction-overload.XXXXXX)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        timeout 10 tail --pid="$pid" -f /dev/null 2>/dev/null || kill -9 "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT
log() { echo "[overload] $*" >&2; }

wait_port() {
    for _ in $(seq 1 150); do
        curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0
        sleep 0.2
    done
    echo "overload.sh: nothing answers on port $1 after 30 s; logs in $results" >&2
    exit 1
}

log "building (./mvnw -B package -DskipTests)"
(cd "$root" && ./mvnw -q -B package -DskipTests) >"$results/build.log" 2>&1 \
    || { echo "overload.sh: build failed, see $results/build.log" >&2; exit 1; }
bench_cp="$root/benchmarks/target/junction-benchmarks.jar:$root/benchmarks/target/lib/*"
gateway_jar="$root/gateway/target/junction-gateway.jar"

java -cp "$bench_cp" dev.junction.benchmarks.e2e.BenchBackend 9301 8 >"$results/backend.log" 2>&1 &
pids+=("$!")
wait_port 9301

# critical: 10% of 3C; bulk: the rest. Unloaded: critical alone at a quarter of C, after 10 s to warm the JVMs.
capacity=400
phases=("warmup:10:$((capacity / 4)):$((capacity / 2))" "unloaded:20:$((capacity / 4)):0"
    "overload:$seconds:$((capacity * 3 / 10)):$((capacity * 27 / 10))")

run() {
    local name="$1" classes="$2"
    cat >"$results/$name.yaml" <<YAML
admin: {path: /_junction}
routes:
  - name: work
    prefix: /
    backends: [{url: "http://127.0.0.1:9301", maxConcurrent: 8}]
    queue: {maxWaiting: 64, timeout: 500ms, classes: $classes, classHeader: X-Priority, aging: 0}
YAML
    java -Xms256m -Xmx256m -XX:+AlwaysPreTouch -XX:+UseG1GC -jar "$gateway_jar" --port 8300 --config "$results/$name.yaml" \
        --access-log off >"$results/gateway-$name.log" 2>&1 &
    local gateway=$!
    pids+=("$gateway")
    wait_port 8300
    log "$name: warm-up 10 s, unloaded 20 s, then ${seconds} s at 3C"
    echo "== $name (queue classes $classes)"
    timeout $((seconds + 120)) java -cp "$bench_cp" dev.junction.benchmarks.overload.OverloadLoad \
        "http://127.0.0.1:8300/work?ms=20" "http://127.0.0.1:8300/_junction" "$gateway" "${phases[@]}"
    kill "$gateway"
    timeout 10 tail --pid="$gateway" -f /dev/null || kill -9 "$gateway"
}

run priorities "[critical, bulk]"
run one-class "[default]"
log "logs in $results"
