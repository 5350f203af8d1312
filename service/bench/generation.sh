#!/usr/bin/env bash
# Generation throughput, side by side in one run: ONNX Runtime in-process on the same generator (JMH
# OrtRateBenchmark.generatorBatch64, the service's session options), one streamed npy request of COUNT
# images, and the same COUNT images fetched as a loop of count=256 npy requests (offset k*256, one
# keep-alive connection, one at a time, as a client script would). Builds nothing; needs
#   ./mvnw -B -ntp package -DskipTests     (-> service/target/quarkus-app/quarkus-run.jar, benchmarks/target)
# Usage: service/bench/generation.sh [COUNT=200000]
# Env: PORT (8080), JMH_ITERATIONS (3), WARMUP_COUNT (50000 images streamed and looped before measuring)
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
SERVICE="$(dirname "$HERE")"
ROOT="$(dirname "$SERVICE")"
JAR="$SERVICE/target/quarkus-app/quarkus-run.jar"
COUNT="${1:-200000}"
PORT="${PORT:-8080}"
JMH_ITERATIONS="${JMH_ITERATIONS:-3}"
WARMUP_COUNT="${WARMUP_COUNT:-50000}"
BASE="http://127.0.0.1:$PORT"
WORK="$(mktemp -d /tmp/forger-genbench.XXXXXX)"
(( COUNT % 256 == 0 )) || { echo "error: COUNT must be a multiple of 256" >&2; exit 1; }

[[ -f "$JAR" && -f "$ROOT/benchmarks/target/classpath.txt" ]] || {
  echo "error: $JAR or benchmarks/target/classpath.txt missing; run ./mvnw -B -ntp package -DskipTests first" >&2; exit 1; }
if curl -s -o /dev/null "$BASE/q/health/ready"; then
  echo "error: something already answers on $BASE; stop it or set PORT" >&2; exit 1
fi

echo "== in-process (JMH): ORT generator at batch 64, one intra-op thread (load: $(cut -d' ' -f1-3 /proc/loadavg))"
(cd "$ROOT" && benchmarks/run.sh -f 1 -wi 2 -w 3s -i "$JMH_ITERATIONS" -r 5s -rf csv -rff "$WORK/jmh.csv" \
   -t 1 'OrtRateBenchmark.generatorBatch64' >"$WORK/jmh.txt" 2>&1) \
   || { echo "error: JMH failed; see $WORK/jmh.txt" >&2; exit 1; }
ORT_RATE="$(awk -F, '/generatorBatch64/ {printf "%.1f", $5}' "$WORK/jmh.csv")"
echo "   $ORT_RATE images/s"

echo "== starting the service on $BASE (log: $WORK/service.log)"
java -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$PORT" -jar "$JAR" >"$WORK/service.log" 2>&1 &
SERVICE_PID=$!
trap 'kill "$SERVICE_PID" 2>/dev/null || true; wait "$SERVICE_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do
  curl -sf -o /dev/null "$BASE/q/health/ready" && break
  kill -0 "$SERVICE_PID" 2>/dev/null || { echo "error: the service exited; see $WORK/service.log" >&2; exit 1; }
  sleep 0.5
done

stream() { # count -> seconds
  curl -sf -o /dev/null -w '%{time_total}' "$BASE/api/v1/generate?count=$1&seed=1&format=npy"
}
loop256() { # count -> seconds: count/256 requests over one connection, one after another
  local urls="$WORK/urls.txt"
  : >"$urls"
  for ((offset = 0; offset < $1; offset += 256)); do
    printf 'url = "%s/api/v1/generate?count=256&seed=1&offset=%d&format=npy"\noutput = "/dev/null"\n' "$BASE" "$offset" >>"$urls"
  done
  local start end
  start=$(date +%s.%N)
  curl -sf -K "$urls"
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", b - a}'
}

echo "== warm-up: $WARMUP_COUNT images each way (the JIT compiles the request path)"
stream "$WARMUP_COUNT" >/dev/null
loop256 "$WARMUP_COUNT" >/dev/null
echo "== measured: $COUNT images each way (load: $(cut -d' ' -f1-3 /proc/loadavg))"
STREAM_S="$(stream "$COUNT")"
LOOP_S="$(loop256 "$COUNT")"
STREAM_RATE=$(awk -v n="$COUNT" -v s="$STREAM_S" 'BEGIN {printf "%.1f", n / s}')
LOOP_RATE=$(awk -v n="$COUNT" -v s="$LOOP_S" 'BEGIN {printf "%.1f", n / s}')

echo
echo "== results (cores: $(nproc), load now: $(cut -d' ' -f1-3 /proc/loadavg), raw output in $WORK)"
printf '%-52s %10s images/s\n' "in-process ORT generator, batch 64 (JMH)" "$ORT_RATE"
printf '%-52s %10s images/s = %5.1f%% of in-process (goal >= 90%%), %s s\n' \
  "one streamed npy request, count=$COUNT" "$STREAM_RATE" "$(awk -v a="$STREAM_RATE" -v b="$ORT_RATE" 'BEGIN {print 100*a/b}')" "$STREAM_S"
printf '%-52s %10s images/s = %5.1f%% of in-process; the stream is %.2fx this\n' \
  "$((COUNT / 256)) npy requests of count=256, one at a time" "$LOOP_RATE" \
  "$(awk -v a="$LOOP_RATE" -v b="$ORT_RATE" 'BEGIN {print 100*a/b}')" "$(awk -v a="$STREAM_RATE" -v b="$LOOP_RATE" 'BEGIN {print a/b}')"
