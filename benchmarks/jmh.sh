#!/usr/bin/env bash
# Runs Junction's JMH benchmarks: builds what they need, then hands every argument to JMH.
#   benchmarks/jmh.sh                                   # everything, with the GC profiler (bytes per operation)
#   benchmarks/jmh.sh SelectionBenchmark -p backends=10 # a subset; see java -jar ... -h for JMH's options
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
cd "$root"
./mvnw -q -B package -DskipTests -pl benchmarks -am
args=("$@")
if [ ${#args[@]} -eq 0 ]; then
    args=(-prof gc)
fi
exec java -cp "benchmarks/target/junction-benchmarks.jar:benchmarks/target/lib/*" org.openjdk.jmh.Main "${args[@]}"
