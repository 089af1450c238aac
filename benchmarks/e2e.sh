#!/usr/bin/env bash
# Junction's end-to-end benchmark: three backends on loopback, and in one interleaved run, wrk against each target:
#   direct            one backend, no proxy (the ceiling)
#   junction          Junction's Undertow handler (the standalone gateway)
#   junction-filter   Junction's ProxyFilter in Jetty 12 (the example web application)
#   undertow          Undertow's ProxyHandler with LoadBalancingProxyClient
#   jetty             Jetty 12's AsyncProxyServlet
#   nginx             nginx as a reverse proxy (upstream, keepalive)
# Scenarios: small (GET, 128-byte body), large (GET, 1 MiB body), post (1 MiB POST, echoed back).
# Prints requests/s, p50/p99/p99.9 latency (median over rounds) and each proxy's resident memory at the end, with
# what of it the JVM accounts for (Native Memory Tracking's committed total).
#
#   benchmarks/e2e.sh                                  # 3 rounds of small, large and post (~15 min on 2 cores)
#   benchmarks/e2e.sh --rounds 1 --duration 5 --scenarios small --targets junction,undertow
#   benchmarks/e2e.sh --tls --targets junction,nginx      # clients on HTTPS: both with the same certificate
#   benchmarks/e2e.sh --h2 --targets junction,nginx       # clients on HTTP/2 over TLS (h2load), backends HTTP/1.1
#
# Everything listens on 127.0.0.1; every process this script starts is stopped by its PID on exit; every wait is
# bounded. Needs a JDK 17+ on the PATH; installs wrk, nginx, curl (and openssl for --tls) with apt-get when they are
# missing (as root). With --tls, the proxies listen on HTTPS with one self-signed EC P-256 certificate made for the
# run (TLS 1.3 negotiated; wrk keeps its connections, so handshakes are a start-up cost): only junction and nginx.
# --h2 is --tls with h2load (nghttp2-client) as the client, speaking h2 by ALPN: --connections 8 (default with --h2)
# times --streams 8 concurrent streams; h2load gives no percentiles, so its rows show the mean and the maximum
# latency where the others show p50 and p99.
set -euo pipefail

rounds=3
duration=10
prewarm=10
scenarios="small,large,post"
targets="direct,junction,junction-filter,undertow,jetty,nginx"
connections=""
streams=8
threads=2
tls=0
h2=0
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        --duration) duration="$2"; shift 2 ;;
        --prewarm) prewarm="$2"; shift 2 ;;
        --scenarios) scenarios="$2"; shift 2 ;;
        --targets) targets="$2"; shift 2 ;;
        --connections) connections="$2"; shift 2 ;;
        --tls) tls=1; shift ;;
        --h2) h2=1; tls=1; shift ;;
        --streams) streams="$2"; shift 2 ;;
        -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
        *) echo "e2e.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
done

[ -z "$connections" ] && { [ "$h2" = 1 ] && connections=8 || connections=64; }
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
results="$root/benchmarks/target/e2e/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$results"
pids=()

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

stop_all() {
    for pid in "${pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for _ in $(seq 1 50); do
        alive=0
        for pid in "${pids[@]}"; do
            kill -0 "$pid" 2>/dev/null && alive=1
        done
        [ "$alive" = 0 ] && break
        sleep 0.2
    done
    for pid in "${pids[@]}"; do
        kill -KILL "$pid" 2>/dev/null || true
    done
    [ ${#pids[@]} -gt 0 ] && log "stopped ${#pids[@]} processes this script started"
}
trap stop_all EXIT

need() {
    for tool in "$@"; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
                log "installing $tool"
                timeout 600 apt-get install -y -q "$tool" >"$results/apt-$tool.log" 2>&1
            else
                echo "e2e.sh: $tool is missing; install it (apt-get install $tool)" >&2
                exit 1
            fi
        fi
    done
}
need wrk curl
[ "$h2" = 1 ] && need h2load
[[ ",$targets," == *",nginx,"* ]] && need nginx
scheme=http
if [ "$tls" = 1 ]; then
    need openssl
    for target in ${targets//,/ }; do
        case "$target" in
            junction|nginx) ;;
            *) echo "e2e.sh: --tls and --h2 run junction and nginx only (not $target)" >&2; exit 2 ;;
        esac
    done
    scheme=https
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
        -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout "$results/key.pem" -out "$results/cert.pem" \
        >"$results/openssl.log" 2>&1
fi

log "building (./mvnw -B package -DskipTests)"
(cd "$root" && ./mvnw -q -B package -DskipTests) >"$results/build.log" 2>&1 \
    || { echo "e2e.sh: build failed, see $results/build.log" >&2; exit 1; }

bench_cp="$root/benchmarks/target/junction-benchmarks.jar:$root/benchmarks/target/lib/*"
gateway_jar="$root/gateway/target/junction-gateway.jar"
examples_jar="$root/examples/target/junction-examples.jar"
# Native Memory Tracking (summary: a few percent of CPU, the same for every JVM proxy) says what of the resident
# memory the JVM itself committed: heap, GC, threads, code, direct buffers ("Other").
jvm_opts="-Xms512m -Xmx512m -XX:+UseG1GC -XX:NativeMemoryTracking=summary"
backend_ports=(9201 9202 9203)
backends_csv="127.0.0.1:9201,127.0.0.1:9202,127.0.0.1:9203"
declare -A port_of=([direct]=9201 [junction]=8181 [junction-filter]=8182 [undertow]=8183 [jetty]=8184 [nginx]=8185)
declare -A pid_of=()

start() {
    local name="$1"; shift
    "$@" >"$results/$name.log" 2>&1 &
    pids+=("$!")
    pid_of[$name]=$!
}

wait_port() {
    local port="$1"
    for _ in $(seq 1 150); do
        local url="http://127.0.0.1:$port/"
        [ "$port" != 9201 ] && [ "$port" != 9202 ] && [ "$port" != 9203 ] && url="$scheme://127.0.0.1:$port/"
        curl -sk -o /dev/null "$url" && return 0
        sleep 0.2
    done
    echo "e2e.sh: nothing answers on port $port after 30 s; logs in $results" >&2
    exit 1
}

for port in "${backend_ports[@]}"; do
    start "backend-$port" java -Xms256m -Xmx256m -XX:+UseParallelGC -cp "$bench_cp" \
        dev.junction.benchmarks.e2e.BenchBackend "$port"
done
for port in "${backend_ports[@]}"; do wait_port "$port"; done
log "backends up on ${backend_ports[*]}"

IFS=',' read -r -a target_list <<<"$targets"
for target in "${target_list[@]}"; do
    case "$target" in
        direct) ;;
        junction)
            tls_args=()
            [ "$tls" = 1 ] && tls_args=(--tls-cert "$results/cert.pem" --tls-key "$results/key.pem")
            start junction java $jvm_opts -jar "$gateway_jar" --port 8181 --backends "$backends_csv" \
                --access-log off "${tls_args[@]}" ;;
        junction-filter) start junction-filter java $jvm_opts -jar "$examples_jar" \
            --port 8182 --prefix / --backends "$backends_csv" ;;
        undertow) start undertow java $jvm_opts -cp "$bench_cp" dev.junction.benchmarks.e2e.UndertowPeer 8183 \
            "$backends_csv" ;;
        jetty) start jetty java $jvm_opts -cp "$bench_cp" dev.junction.benchmarks.e2e.JettyPeer 8184 "$backends_csv" ;;
        nginx)
            mkdir -p "$results/nginx"
            cat >"$results/nginx/nginx.conf" <<NGINX
worker_processes 2;
pid $results/nginx/nginx.pid;
error_log $results/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $results/nginx/body;
    proxy_temp_path $results/nginx/proxy;
    client_max_body_size 0;
    upstream backends {
        server 127.0.0.1:9201;
        server 127.0.0.1:9202;
        server 127.0.0.1:9203;
        keepalive 64;
    }
    server {
        listen 127.0.0.1:8185$([ "$tls" = 1 ] && echo " ssl")$([ "$h2" = 1 ] && echo " http2");
        $([ "$tls" = 1 ] && echo "ssl_certificate $results/cert.pem; ssl_certificate_key $results/key.pem;")
        $([ "$tls" = 1 ] && echo "ssl_protocols TLSv1.2 TLSv1.3;")
        keepalive_requests 10000000;
        location / {
            proxy_pass http://backends;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_request_buffering off;
        }
    }
}
NGINX
            start nginx nginx -p "$results/nginx" -c "$results/nginx/nginx.conf" -g 'daemon off;' ;;
        *) echo "e2e.sh: unknown target '$target'" >&2; exit 2 ;;
    esac
done
for target in "${target_list[@]}"; do wait_port "${port_of[$target]}"; done
log "targets up: ${target_list[*]}"

# wrk reports what it measured through this script's done() hook, one line per run.
cat >"$results/report.lua" <<'LUA'
local body_file = os.getenv("E2E_BODY")
if body_file and body_file ~= "" then
    local f = io.open(body_file, "rb")
    wrk.method = "POST"
    wrk.body = f:read("*all")
    f:close()
    wrk.headers["Content-Type"] = "application/octet-stream"
end
done = function(summary, latency, requests)
    local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
        + summary.errors.timeout
    io.write(string.format("E2E %.1f %.3f %.3f %.3f %d %d\n", summary.requests / (summary.duration / 1e6),
        latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000, errors,
        summary.bytes))
end
LUA
head -c 1048576 /dev/urandom >"$results/body.bin"

path_of() {
    case "$1" in
        small) echo "/" ;;
        large) echo "/bytes?n=1048576" ;;
        post) echo "/echo" ;;
    esac
}

# h2load's summary as the same line: req/s, mean and max latency (ms) in the p50 and p99 places, errors, bytes.
run_h2load() {
    local scenario="$1" target="$2" seconds="$3"
    local data=()
    [ "$scenario" = post ] && data=(-d "$results/body.bin")
    timeout $((seconds + 30)) h2load -t"$threads" -c"$connections" -m"$streams" -D"$seconds" "${data[@]}" \
        "https://127.0.0.1:${port_of[$target]}$(path_of "$scenario")" 2>&1 | awk '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
        /^finished in/ { rps = $4 }
        /^requests:/ { failed = $11 + $13 + $15 }
        /^traffic:/ { bytes = $2 }
        /^time for request:/ { mean = ms($6); max = ms($5) }
        END { printf "%s %.3f %.3f %s %d %s\n", rps, mean, max, "-", failed, bytes }'
}

run_wrk() {
    local scenario="$1" target="$2" seconds="$3"
    if [ "$h2" = 1 ]; then
        run_h2load "$scenario" "$target" "$seconds"
        return
    fi
    local body=""
    [ "$scenario" = post ] && body="$results/body.bin"
    E2E_BODY="$body" timeout $((seconds + 30)) wrk -t"$threads" -c"$connections" -d"${seconds}s" \
        -s "$results/report.lua" "$scheme://127.0.0.1:${port_of[$target]}$(path_of "$scenario")" 2>&1 \
        | awk '/^E2E /{print $2, $3, $4, $5, $6}'
}

IFS=',' read -r -a scenario_list <<<"$scenarios"
log "plan: pre-warm ${#target_list[@]} targets x ${#scenario_list[@]} scenarios x ${prewarm}s, then $rounds rounds"
for scenario in "${scenario_list[@]}"; do
    for target in "${target_list[@]}"; do
        run_wrk "$scenario" "$target" "$prewarm" >/dev/null
    done
done

echo "round scenario target req_s p50_ms p99_ms p999_ms errors" >"$results/runs.txt"
for round in $(seq 1 "$rounds"); do
    for scenario in "${scenario_list[@]}"; do
        # A different order each round, so no target always follows the same one.
        count=${#target_list[@]}
        for i in $(seq 0 $((count - 1))); do
            target="${target_list[$(((i + round) % count))]}"
            line="$(run_wrk "$scenario" "$target" "$duration")"
            echo "$round $scenario $target $line" >>"$results/runs.txt"
            log "r$round $scenario $target: $line"
        done
    done
done

rss_mib() {
    local pid="$1" total=0
    for p in "$pid" $(pgrep -P "$pid" 2>/dev/null || true); do
        kb=$(awk '/VmRSS/{print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
        total=$((total + ${kb:-0}))
    done
    echo $((total / 1024))
}

# What the JVM says it committed (NMT's total), in MiB; the full summary is kept in the results directory.
jvm_mib() {
    local target="$1" pid="$2"
    jcmd "$pid" VM.native_memory summary >"$results/nmt-$target.txt" 2>&1 || { echo "-"; return; }
    local mib
    mib=$(awk '/^Total:/{sub(/.*committed=/, ""); sub(/KB.*/, ""); print int($0 / 1024); exit}' \
        "$results/nmt-$target.txt")
    echo "${mib:--}"
}

{
    echo "== $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(java -version 2>&1 | head -1), $([ "$h2" = 1 ] && echo "h2load -t$threads" || echo "wrk -t$threads -c$connections") -d${duration}s, $rounds rounds (medians)$([ "$tls" = 1 ] && echo ", clients over HTTPS (TLS 1.3, EC P-256)")$([ "$h2" = 1 ] && echo ", h2load -c$connections -m$streams over h2 (columns: mean and max latency)")"
    printf '%-16s %-6s %10s %9s %9s %9s %7s %8s %8s\n' target scen req/s p50_ms p99_ms p99.9_ms errors rss_MiB \
        jvm_MiB
    for scenario in "${scenario_list[@]}"; do
        for target in "${target_list[@]}"; do
            rss="-"
            jvm="-"
            [ "$target" != direct ] && rss="$(rss_mib "${pid_of[$target]}")"
            case "$target" in
                junction|junction-filter|undertow|jetty) jvm="$(jvm_mib "$target" "${pid_of[$target]}")" ;;
            esac
            awk -v s="$scenario" -v t="$target" -v rss="$rss" -v jvm="$jvm" '
                $2 == s && $3 == t { n++; r[n] = $4; p50[n] = $5; p99[n] = $6; p999[n] = $7; e += $8 }
                function median(a, n,   i, j, x) {
                    for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j > 0 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
                    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
                }
                END { if (n) printf "%-16s %-6s %10.0f %9.3f %9.3f %9.3f %7d %8s %8s\n", t, s, median(r, n),
                    median(p50, n), median(p99, n), median(p999, n), e, rss, jvm }' "$results/runs.txt"
        done
    done
} | tee "$results/table.txt"
log "results in $results"
