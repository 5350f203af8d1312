#!/usr/bin/env bash
# The cost of identity on /score (issue #18): one 32x32 PNG per request, SCORE_CONNECTIONS (32) connections,
# against two copies of the packaged jar started side by side by this script: one open (nothing configured),
# one with identity on (OIDC bearer tokens checked against an issuer's RSA key, and API keys). The load
# alternates between them in ROUNDS (6) rounds of ROUND_SECONDS (8) s each, in rotating order: open, bearer
# token, API key; then open again; so the ratios hold while a shared machine's load drifts. The median of the
# per-round ratios is reported. The bearer token is a real RS256 JWT (made here with openssl) that the service
# verifies exactly as one from a discovered issuer once its keys are fetched: signature, issuer, audience,
# expiry; then it reuses the verified identity for the same token's requests (forger.security.token-cache, at
# most 60 s, never past exp), as for any client that keeps its token. TOKEN_CACHE=false verifies every request.
# Builds nothing; needs ./mvnw -B -ntp -pl service -am package -DskipTests.
# Usage: service/bench/security.sh      Env: PORT (18180; the second jar takes PORT+1), ROUNDS, ROUND_SECONDS,
# SCORE_CONNECTIONS, WRK_THREADS (2), WARMUP (20s per side), TOKEN_CACHE (true).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
SERVICE="$(dirname "$HERE")"
JAR="$SERVICE/target/quarkus-app/quarkus-run.jar"
PORT="${PORT:-18180}"
ROUNDS="${ROUNDS:-6}"
ROUND_SECONDS="${ROUND_SECONDS:-8}"
SCORE_CONNECTIONS="${SCORE_CONNECTIONS:-32}"
WRK_THREADS="${WRK_THREADS:-2}"
WARMUP="${WARMUP:-20s}"
TOKEN_CACHE="${TOKEN_CACHE:-true}"
WORK="$(mktemp -d /tmp/forger-security-bench.XXXXXX)"
OPEN="http://127.0.0.1:$PORT"
GUARDED="http://127.0.0.1:$((PORT + 1))"

[[ -f "$JAR" ]] || { echo "error: $JAR missing; run ./mvnw -B -ntp -pl service -am package -DskipTests" >&2; exit 1; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v openssl >/dev/null || { apt-get update -qq && apt-get install -y -qq openssl >/dev/null; }

# an issuer's key and a reader's access token (RS256), valid for two hours
b64url() { openssl base64 -e -A | tr '+/' '-_' | tr -d '='; }
openssl genrsa -out "$WORK/issuer.pem" 2048 2>/dev/null
PUBLIC_KEY="$(openssl rsa -in "$WORK/issuer.pem" -pubout -outform DER 2>/dev/null | openssl base64 -e -A)"
NOW="$(date +%s)"
HEADER="$(printf '{"alg":"RS256","typ":"JWT","kid":"bench"}' | b64url)"
CLAIMS="$(printf '{"iss":"forger-bench","sub":"bench","preferred_username":"bench","aud":"forger","groups":["reader"],"iat":%d,"exp":%d}' \
  "$NOW" "$((NOW + 7200))" | b64url)"
SIGNATURE="$(printf '%s.%s' "$HEADER" "$CLAIMS" | openssl dgst -sha256 -sign "$WORK/issuer.pem" | b64url)"
TOKEN="$HEADER.$CLAIMS.$SIGNATURE"
API_KEY="$(openssl rand -hex 24)"

start() { # name port extra-args...
  local name="$1" port="$2"; shift 2
  java -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" -Dforger.store.dir="$WORK/$name-store" "$@" \
    -jar "$JAR" >"$WORK/$name.log" 2>&1 &
  echo $!
}
OPEN_PID="$(start open "$PORT")"
GUARDED_PID="$(start guarded "$((PORT + 1))" -Dquarkus.oidc.public-key="$PUBLIC_KEY" \
  -Dquarkus.oidc.token.issuer=forger-bench -Dquarkus.oidc.token.audience=forger \
  -Dforger.security.api-keys="bench:reader:$API_KEY" -Dforger.security.token-cache.enabled="$TOKEN_CACHE")"
trap 'kill "$OPEN_PID" "$GUARDED_PID" 2>/dev/null || true; wait 2>/dev/null || true' EXIT
for base in "$OPEN" "$GUARDED"; do
  for _ in $(seq 1 240); do
    curl -sf -o /dev/null "$base/q/health/ready" && break
    sleep 0.5
  done
  curl -sf -o /dev/null "$base/q/health/ready" || { echo "error: $base not ready; see $WORK/*.log" >&2; exit 1; }
done
grep -h "Identity is" "$WORK/open.log" "$WORK/guarded.log" | sed 's/^/   /' || true
curl -sf -o "$WORK/one.png" "$OPEN/api/v1/generate?seed=3"
# the guarded jar refuses what the open one serves, and serves it with either credential
[[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: image/png' --data-binary @"$WORK/one.png" \
  "$GUARDED/api/v1/score")" == 401 ]] || { echo "error: the guarded jar did not refuse an anonymous /score" >&2; exit 1; }

SIDES=(open token key)
url() { case "$1" in open) echo "$OPEN/api/v1/score" ;; *) echo "$GUARDED/api/v1/score" ;; esac; }
auth() { case "$1" in token) echo "Authorization: Bearer $TOKEN" ;; key) echo "X-API-Key: $API_KEY" ;; *) echo "" ;; esac; }
measure() { # side duration file
  SCORE_PNG="$WORK/one.png" AUTH_HEADER="$(auth "$1")" wrk -t"$WRK_THREADS" -c"$SCORE_CONNECTIONS" -d"$2" --latency \
    -s "$HERE/score-png.lua" "$(url "$1")" >"$3"
  if grep -qE 'Non-2xx|Socket errors' "$3"; then echo "error: $1: $(grep -E 'Non-2xx|Socket errors' "$3")" >&2; exit 1; fi
}
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
p99() { awk '$1 == "99%" {print $2}' "$1"; }

echo "== warm-up, $WARMUP per side (load: $(cut -d' ' -f1-3 /proc/loadavg))"
for side in "${SIDES[@]}"; do measure "$side" "$WARMUP" "$WORK/warm-$side.txt"; done
echo "== $ROUNDS rounds of ${ROUND_SECONDS}s per side, order rotating"
: >"$WORK/rounds.txt"
for r in $(seq 1 "$ROUNDS"); do
  order=("${SIDES[@]:$(( (r - 1) % 3 ))}" "${SIDES[@]:0:$(( (r - 1) % 3 ))}")
  for side in "${order[@]}"; do measure "$side" "${ROUND_SECONDS}s" "$WORK/r$r-$side.txt"; done
  line="$(rps "$WORK/r$r-open.txt") $(rps "$WORK/r$r-token.txt") $(rps "$WORK/r$r-key.txt")"
  echo "$line" >>"$WORK/rounds.txt"
  printf '   round %d: open %s, bearer token %s, API key %s requests/s; p99 %s / %s / %s (load %s)\n' "$r" $line \
    "$(p99 "$WORK/r$r-open.txt")" "$(p99 "$WORK/r$r-token.txt")" "$(p99 "$WORK/r$r-key.txt")" \
    "$(cut -d' ' -f1 /proc/loadavg)"
done
median_ratio() { # column
  awk -v c="$1" '{print 100 * $c / $1}' "$WORK/rounds.txt" | sort -g | awk '{v[NR] = $1}
    END {m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f%% (rounds: %.1f to %.1f%%)", m, v[1], v[NR]}'
}
echo "== /score throughput with identity on, relative to the open jar (median of per-round ratios; goal >= 90%)"
echo "   bearer token (RS256 JWT, token cache $TOKEN_CACHE): $(median_ratio 2)"
echo "   API key (X-API-Key): $(median_ratio 3)"
echo "   (load at the end: $(cut -d' ' -f1-3 /proc/loadavg); raw numbers in $WORK)"
