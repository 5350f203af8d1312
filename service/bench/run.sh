#!/usr/bin/env bash
# Service throughput, in one run: the in-process rates (JMH, module benchmarks/: ONNX Runtime's generator
# at batch 64, and single-image scoring through the discriminator's MicroBatcher from 32 threads) and the
# end-to-end HTTP rates against the packaged jar, with their ratios. Builds nothing; needs
#   ./mvnw -B -ntp package -DskipTests     (→ service/target/quarkus-app/quarkus-run.jar, benchmarks/target)
# Usage: service/bench/run.sh [SECONDS_PER_WRK_RUN=15]
# Env: PORT (8080), GEN_CONNECTIONS (4), SCORE_CONNECTIONS (32), WRK_THREADS (2), WARMUP (20s of the same
# load before each measured run: C2 is still compiling the request path 20-40 s into a run on a loaded
# machine, and its compiler threads then take a third of the CPU the requests need), JMH_ITERATIONS (3).
# OIP=0 skips the Open Inference Protocol runs (/v2 infer, binary and JSON, beside the same workloads on
# Forger's own endpoints); OIP_ROUNDS (4) x ROUND_SECONDS (8) alternate OIP binary and Forger's endpoint in
# short rounds, A-B then B-A, for ratios that hold while the load of a shared machine drifts.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
SERVICE="$(dirname "$HERE")"
JAR="$SERVICE/target/quarkus-app/quarkus-run.jar"
ROOT="$(dirname "$SERVICE")"
SECONDS_PER_RUN="${1:-15}"
PORT="${PORT:-8080}"
GEN_CONNECTIONS="${GEN_CONNECTIONS:-4}"
SCORE_CONNECTIONS="${SCORE_CONNECTIONS:-32}"
WRK_THREADS="${WRK_THREADS:-2}"
WARMUP="${WARMUP:-20s}"
JMH_ITERATIONS="${JMH_ITERATIONS:-3}"
OIP="${OIP:-1}"
OIP_ROUNDS="${OIP_ROUNDS:-4}"
ROUND_SECONDS="${ROUND_SECONDS:-8}"
BASE="http://127.0.0.1:$PORT"
WORK="$(mktemp -d /tmp/forger-bench.XXXXXX)"

[[ -f "$JAR" && -f "$ROOT/benchmarks/target/classpath.txt" ]] || {
  echo "error: $JAR or benchmarks/target/classpath.txt missing; run ./mvnw -B -ntp package -DskipTests first" >&2; exit 1; }
if ! command -v wrk >/dev/null; then
  echo "installing wrk ..."
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
if curl -s -o /dev/null "$BASE/q/health/ready"; then
  echo "error: something already answers on $BASE; stop it or set PORT" >&2; exit 1
fi

echo "== in-process (JMH): ORT generator at batch 64, one intra-op thread (as the service); score one image"
echo "   per request through the discriminator's MicroBatcher from ${SCORE_CONNECTIONS} threads"
# benchmarks/run.sh passes these to JMH; -rf csv gives one line per benchmark with its score. JMH's lock
# (/tmp/jmh.lock) keeps two JMH runs apart; on a machine shared with other builds it only blocks: ignore it
CALLER_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:-}"
export JAVA_TOOL_OPTIONS="$CALLER_TOOL_OPTIONS -Djmh.ignoreLock=true"
(cd "$ROOT" && benchmarks/run.sh -f 1 -wi 2 -w 3s -i "$JMH_ITERATIONS" -r 5s -rf csv -rff "$WORK/jmh.csv" \
   -t 1 'OrtRateBenchmark.generatorBatch64' >"$WORK/jmh-generator.txt" 2>&1) \
   || { echo "error: JMH failed; see $WORK/jmh-generator.txt" >&2; exit 1; }
ORT_RATE="$(awk -F, '/generatorBatch64/ {printf "%.1f", $5}' "$WORK/jmh.csv")"
(cd "$ROOT" && benchmarks/run.sh -f 1 -wi 2 -w 3s -i "$JMH_ITERATIONS" -r 5s -rf csv -rff "$WORK/jmh-score.csv" \
   -t "$SCORE_CONNECTIONS" 'ScoreBatcherBenchmark' >"$WORK/jmh-score.txt" 2>&1) \
   || { echo "error: JMH failed; see $WORK/jmh-score.txt" >&2; exit 1; }
SCORE_RATE="$(awk -F, '/oneImagePerRequest/ {printf "%.1f", $5}' "$WORK/jmh-score.csv")"
echo "   generator: $ORT_RATE images/s; single-image scoring: $SCORE_RATE requests/s (load: $(cut -d' ' -f1-3 /proc/loadavg))"

export JAVA_TOOL_OPTIONS="$CALLER_TOOL_OPTIONS"
echo "== starting the service on $BASE (log: $WORK/service.log)"
java -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$PORT" -jar "$JAR" >"$WORK/service.log" 2>&1 &
SERVICE_PID=$!
trap 'kill "$SERVICE_PID" 2>/dev/null || true; wait "$SERVICE_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf -o /dev/null "$BASE/q/health/ready" && break
  kill -0 "$SERVICE_PID" 2>/dev/null || { echo "error: the service exited; see $WORK/service.log" >&2; exit 1; }
  sleep 0.5
done
curl -sf -o /dev/null "$BASE/q/health/ready" || { echo "error: not ready after 60 s; see $WORK/service.log" >&2; exit 1; }
curl -sf -o "$WORK/one.png" "$BASE/api/v1/generate?seed=3"

# wrk: a short warm-up (JIT, ORT arenas) then the measured run; prints requests/s and the latency line
run_wrk() { # name connections duration url [lua]
  local name="$1" conns="$2" url="$4" script=()
  [[ -n "${5:-}" ]] && script=(-s "$5")
  wrk -t"$WRK_THREADS" -c"$conns" -d"$WARMUP" "${script[@]}" "$url" >/dev/null
  wrk -t"$WRK_THREADS" -c"$conns" -d"$3" --latency "${script[@]}" "$url" >"$WORK/$name.txt"
  local non2xx
  non2xx="$(grep -E 'Non-2xx' "$WORK/$name.txt" || true)"
  [[ -z "$non2xx" ]] || { echo "error: $name: $non2xx (see $WORK/$name.txt)" >&2; exit 1; }
  # timeouts and resets are not counted in Requests/sec, so a run with them would look better than it is
  ! grep -q 'Socket errors' "$WORK/$name.txt" || echo "warning: $name: $(grep 'Socket errors' "$WORK/$name.txt")" >&2
}
rps() { awk '/^Requests\/sec/ {print $2}' "$WORK/$1.txt"; }
pct() { awk -v p="$2" '$1 == p {print $2}' "$WORK/$1.txt"; }

if [[ "$OIP" == 1 ]]; then
  # Open Inference Protocol bodies: one generated digit for the discriminator (the float32 payload of a
  # count=1 .npy, whose header is 128 bytes), 64 latents for the generator; binary (JSON header + the
  # tensor's little-endian bytes, answered in binary) and plain JSON with numbers written as a client would
  curl -sf -o "$WORK/one.npy" "$BASE/api/v1/generate?seed=3&format=npy"
  tail -c 4096 "$WORK/one.npy" >"$WORK/image.f32"
  head -c 25600 /dev/zero >"$WORK/z.f32" # 64 x 100 zeros: a valid latent batch; ORT's cost does not depend on values
  oip_binary() { # header-json tensor-file out-file → prints the header length
    printf '%s' "$1" >"$3"; local n; n=$(wc -c <"$3"); cat "$2" >>"$3"; echo "$n"; }
  D_HEADER=$(oip_binary '{"inputs":[{"name":"image","datatype":"FP32","shape":[1,1,32,32],"parameters":{"binary_data_size":4096}}],"parameters":{"binary_data_output":true}}' \
    "$WORK/image.f32" "$WORK/d.bin")
  G_HEADER=$(oip_binary '{"inputs":[{"name":"z","datatype":"FP32","shape":[64,100],"parameters":{"binary_data_size":25600}}],"parameters":{"binary_data_output":true}}' \
    "$WORK/z.f32" "$WORK/g.bin")
  # JSON: the same digit's values and 64 latents drawn uniformly, printed with 9 significant digits
  od -An -v -f -w4 "$WORK/image.f32" | awk 'BEGIN {printf "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"FP32\",\"shape\":[1,1,32,32],\"data\":["}
    {printf "%s%.9g", (NR > 1 ? "," : ""), $1} END {printf "]}]}"}' >"$WORK/d.json"
  awk 'BEGIN {srand(7); printf "{\"inputs\":[{\"name\":\"z\",\"datatype\":\"FP32\",\"shape\":[64,100],\"data\":[";
    for (i = 0; i < 6400; i++) printf "%s%.9g", (i ? "," : ""), 2 * rand() - 1; printf "]}]}"}' >"$WORK/g.json"
  D_URL="$BASE/v2/models/mnist-dcgan-discriminator/infer"
  G_URL="$BASE/v2/models/mnist-dcgan-generator/infer"
fi
echo "== wrk ${SECONDS_PER_RUN}s each"
# each Open Inference Protocol run right after the Forger run it is compared with: the load of a shared
# machine drifts less between neighbours
run_wrk npy  "$GEN_CONNECTIONS" "${SECONDS_PER_RUN}s" "$BASE/api/v1/generate?count=64&format=npy"
if [[ "$OIP" == 1 ]]; then
  BODY="$WORK/g.bin" CONTENT_TYPE=application/octet-stream HEADER_LENGTH="$G_HEADER" \
    run_wrk oip-g-bin "$GEN_CONNECTIONS" "${SECONDS_PER_RUN}s" "$G_URL" "$HERE/post-body.lua"
  BODY="$WORK/g.json" run_wrk oip-g-json "$GEN_CONNECTIONS" "${SECONDS_PER_RUN}s" "$G_URL" "$HERE/post-body.lua"
fi
run_wrk grid "$GEN_CONNECTIONS" "${SECONDS_PER_RUN}s" "$BASE/api/v1/generate?count=64&format=grid"
SCORE_PNG="$WORK/one.png" run_wrk score "$SCORE_CONNECTIONS" "${SECONDS_PER_RUN}s" "$BASE/api/v1/score" "$HERE/score-png.lua"
if [[ "$OIP" == 1 ]]; then
  BODY="$WORK/d.bin" CONTENT_TYPE=application/octet-stream HEADER_LENGTH="$D_HEADER" \
    run_wrk oip-d-bin "$SCORE_CONNECTIONS" "${SECONDS_PER_RUN}s" "$D_URL" "$HERE/post-body.lua"
  BODY="$WORK/d.json" run_wrk oip-d-json "$SCORE_CONNECTIONS" "${SECONDS_PER_RUN}s" "$D_URL" "$HERE/post-body.lua"
fi

# Ratios under drifting load: the two sides of each comparison alternate in short rounds (both are warm from
# the runs above), A-B in odd rounds and B-A in even ones, and the median of the per-round ratios is reported
round_wrk() { # name connections url [lua]: one measured run, no warm-up
  local script=()
  [[ -n "${4:-}" ]] && script=(-s "$4")
  wrk -t"$WRK_THREADS" -c"$2" -d"${ROUND_SECONDS}s" "${script[@]}" "$3" >"$WORK/$1.txt"
  ! grep -q 'Non-2xx' "$WORK/$1.txt" || { echo "error: $1: $(grep Non-2xx "$WORK/$1.txt")" >&2; exit 1; }
}
d_pair() { # round
  SCORE_PNG="$WORK/one.png" round_wrk "r$1-score" "$SCORE_CONNECTIONS" "$BASE/api/v1/score" "$HERE/score-png.lua"; }
d_oip() {
  BODY="$WORK/d.bin" CONTENT_TYPE=application/octet-stream HEADER_LENGTH="$D_HEADER" \
    round_wrk "r$1-oip-d-bin" "$SCORE_CONNECTIONS" "$D_URL" "$HERE/post-body.lua"; }
g_pair() { round_wrk "r$1-npy" "$GEN_CONNECTIONS" "$BASE/api/v1/generate?count=64&format=npy"; }
g_oip() {
  BODY="$WORK/g.bin" CONTENT_TYPE=application/octet-stream HEADER_LENGTH="$G_HEADER" \
    round_wrk "r$1-oip-g-bin" "$GEN_CONNECTIONS" "$G_URL" "$HERE/post-body.lua"; }
if [[ "$OIP" == 1 && "$OIP_ROUNDS" -gt 0 ]]; then
  echo "== ${OIP_ROUNDS} alternating rounds of ${ROUND_SECONDS}s: OIP binary vs Forger's endpoints"
  : >"$WORK/rounds-d.txt"
  : >"$WORK/rounds-g.txt"
  for r in $(seq 1 "$OIP_ROUNDS"); do
    if (( r % 2 )); then d_pair "$r"; d_oip "$r"; g_pair "$r"; g_oip "$r"
    else d_oip "$r"; d_pair "$r"; g_oip "$r"; g_pair "$r"; fi
    echo "$(rps "r$r-oip-d-bin") $(rps "r$r-score")" >>"$WORK/rounds-d.txt"
    echo "$(rps "r$r-oip-g-bin") $(rps "r$r-npy")" >>"$WORK/rounds-g.txt"
  done
fi
# median, min and max of a/b over the lines "a b" of a file, in percent
ratios() { awk '{printf "%.1f\n", 100 * $1 / $2}' "$1" | sort -n | awk '{v[NR] = $1}
  END {m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f%% (rounds: %s to %s%%)", m, v[1], v[NR]}'; }

NPY=$(awk -v r="$(rps npy)" 'BEGIN {printf "%.1f", r * 64}')
GRID=$(awk -v r="$(rps grid)" 'BEGIN {printf "%.1f", r * 64}')
echo
echo "== results (cores: $(nproc), wrk: ${WRK_THREADS} threads, load now: $(cut -d' ' -f1-3 /proc/loadavg), raw output in $WORK)"
printf '%-46s %10s images/s   (JMH OrtRateBenchmark)\n' "in-process ORT generator, batch 64" "$ORT_RATE"
printf '%-46s %10s requests/s (JMH ScoreBatcherBenchmark)\n' "in-process score, 1 image/request, ${SCORE_CONNECTIONS} threads" "$SCORE_RATE"
printf '%-46s %10s images/s  = %5.1f%% of in-process (target >= 70%%)  p99 %s\n' \
  "GET generate count=64 npy  (${GEN_CONNECTIONS} conns)" "$NPY" "$(awk -v a="$NPY" -v b="$ORT_RATE" 'BEGIN {print 100*a/b}')" "$(pct npy 99%)"
printf '%-46s %10s images/s  = %5.1f%% of in-process (target >= 50%%)  p99 %s\n' \
  "GET generate count=64 grid (${GEN_CONNECTIONS} conns)" "$GRID" "$(awk -v a="$GRID" -v b="$ORT_RATE" 'BEGIN {print 100*a/b}')" "$(pct grid 99%)"
printf '%-46s %10s requests/s = %5.1f%% of in-process (target >= 3000/s)  p50 %s  p99 %s (target < 50ms)\n' \
  "POST score one 32x32 PNG (${SCORE_CONNECTIONS} conns)" "$(rps score)" "$(awk -v a="$(rps score)" -v b="$SCORE_RATE" 'BEGIN {print 100*a/b}')" \
  "$(pct score 50%)" "$(pct score 99%)"
if [[ "$OIP" == 1 ]]; then
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", 100 * a / b}'; }
  G_BIN=$(awk -v r="$(rps oip-g-bin)" 'BEGIN {printf "%.1f", r * 64}')
  G_JSON=$(awk -v r="$(rps oip-g-json)" 'BEGIN {printf "%.1f", r * 64}')
  echo "-- Open Inference Protocol (/v2 infer on mnist-dcgan), same run"
  printf '%-46s %10s requests/s = %5.1f%% of POST score (goal >= 90%%)  p50 %s  p99 %s\n' \
    "OIP binary discriminator, 1 image (${SCORE_CONNECTIONS} conns)" "$(rps oip-d-bin)" "$(ratio "$(rps oip-d-bin)" "$(rps score)")" \
    "$(pct oip-d-bin 50%)" "$(pct oip-d-bin 99%)"
  printf '%-46s %10s requests/s = %5.1f%% of OIP binary  p50 %s  p99 %s\n' \
    "OIP JSON discriminator, 1 image (${SCORE_CONNECTIONS} conns)" "$(rps oip-d-json)" "$(ratio "$(rps oip-d-json)" "$(rps oip-d-bin)")" \
    "$(pct oip-d-json 50%)" "$(pct oip-d-json 99%)"
  printf '%-46s %10s images/s  = %5.1f%% of GET generate npy (goal >= 90%%)  p99 %s\n' \
    "OIP binary generator, batch 64 (${GEN_CONNECTIONS} conns)" "$G_BIN" "$(ratio "$G_BIN" "$NPY")" "$(pct oip-g-bin 99%)"
  printf '%-46s %10s images/s  = %5.1f%% of OIP binary  p99 %s\n' \
    "OIP JSON generator, batch 64 (${GEN_CONNECTIONS} conns)" "$G_JSON" "$(ratio "$G_JSON" "$G_BIN")" "$(pct oip-g-json 99%)"
fi
if [[ "$OIP" == 1 && "$OIP_ROUNDS" -gt 0 ]]; then
  echo "-- alternating rounds (median of per-round ratios; the goal is >= 90%)"
  printf '%-46s %s\n' "OIP binary discriminator / POST score" "$(ratios "$WORK/rounds-d.txt")"
  printf '%-46s %s\n' "OIP binary generator / GET generate npy" "$(ratios "$WORK/rounds-g.txt")"
fi

