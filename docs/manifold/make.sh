#!/usr/bin/env bash
# Makes the pictures and numbers of README's "Threat models only a GAN gives" section with a running service
# (default: the jar on localhost:8080 with the embedded mnist-dcgan). Needs curl and python3.
# Usage: docs/manifold/make.sh [BASE_URL] [CLASSIFIER_MODEL]
#   CLASSIFIER_MODEL: the bundle with a classifier for the class-goal figures and the manifold evaluation
#   (default: the default model, once it ships a classifier; until then mnist-classified from
#   docs/manifold/with-classifier.sh, served with -Dforger.models.dir=<its folder>). The README's numbers:
#   java -Dforger.models.dir=/tmp/models -jar service/target/quarkus-app/quarkus-run.jar &
#   docs/manifold/make.sh http://localhost:8080 mnist-classified
set -euo pipefail
BASE="${1:-http://localhost:8080}"
CLASSIFIED="${2:-}"
HERE="$(cd "$(dirname "$0")" && pwd)"
WITH_MODEL=""
[ -n "$CLASSIFIED" ] && WITH_MODEL="&model=$CLASSIFIED"
json() { python3 -c "import json,sys; d=json.load(sys.stdin); $1"; }

# 1. latent attacks on 32 generated digits (seed 7), goal flip: how many flip at each δ
: > "$HERE/latent-success.txt"
for run in "pgd 0.25" "pgd 0.5" "pgd 1.0" "apgd 0.25" "apgd 0.5"; do
  set -- $run
  curl -sf -H 'Content-Type: application/json' -d '{"count": 32, "seed": 7}' \
       "$BASE/api/v1/attack?space=latent&method=$1&epsilon=$2&steps=100" \
    | json "r=d['results']; print('$1 L∞ δ=$2, 100 steps:', sum(x['success'] for x in r), 'of', len(r),
            '| median pixel L2 of the flips:', sorted(x['pixelL2'] for x in r if x['success'])[len([x for x in r if x['success']])//2] if any(x['success'] for x in r) else '-')" \
    | tee -a "$HERE/latent-success.txt"
done

# 2. the smallest latent δ that flips six digits, as a figure (bisection with Auto-PGD)
curl -sf -o "$HERE/figure-latent-bisection.png" -H 'Content-Type: application/json' -d '{"count": 6, "seed": 7}' \
     "$BASE/api/v1/attack?space=latent&method=bisection&epsilon=0.5&steps=50&format=figure"

# 3. unrestricted adversarial digits: the classifier must say k, the discriminator must still say real
for k in 3 8; do
  curl -sf -o "$HERE/figure-class-$k.png" -H 'Content-Type: application/json' -d '{"count": 6, "seed": 7}' \
       "$BASE/api/v1/attack?space=latent&method=pgd&epsilon=2&steps=100&goal=class:$k&realism=3&format=figure$WITH_MODEL"
done
# ... and over every (digit, k) pair of 10 digits: how often the classifier says k and D says real
python3 - "$BASE" "$WITH_MODEL" <<'PY' | tee "$HERE/class-goals.txt"
import json, sys, urllib.request
base, model = sys.argv[1], sys.argv[2]
pairs = says = real = both = 0
for k in range(10):
    req = urllib.request.Request(f"{base}/api/v1/attack?space=latent&method=pgd&epsilon=2&steps=100&goal=class:{k}&realism=3{model}",
                                 data=b'{"count": 10, "seed": 7}', headers={"Content-Type": "application/json"})
    for r in json.load(urllib.request.urlopen(req))["results"]:
        if r["original"]["predictedClass"] == k:
            continue
        pairs += 1
        s = r["adversarial"]["predictedClass"] == k
        t = r["adversarial"]["logit"] > 0
        says += s; real += t; both += s and t
print(f"class:k with realism 3, latent PGD-L∞ δ=2, 100 steps, 10 digits of seed 7: {pairs} (digit, k) pairs;"
      f" classifier says k for {says}, D says real for {real}, both for {both}")
PY

# 4. the on/off-manifold evaluation of 64 generated digits (seed 7), default bounds (L2: ε ≤ 3, δ ≤ 3)
body='{"type": "manifold", "count": 64, "seed": 7'
[ -n "$CLASSIFIED" ] && body="$body, \"model\": \"$CLASSIFIED\""
job=$(curl -sf -X POST -H 'Content-Type: application/json' "$BASE/api/v1/evaluate" -d "$body}" | json 'print(d["self"])')
until curl -sf "$BASE$job" | json 'sys.exit(0 if d["state"] in ("succeeded","failed","cancelled") else 1)'; do
  sleep 5
done
curl -sf "$BASE$job" | python3 -m json.tool > "$HERE/manifold-evaluation.json"
curl -sf -o "$HERE/manifold-chart.png" "$BASE$job/chart"
curl -sf -o "$HERE/manifold-gallery.png" "$BASE$job/gallery"
json 'm=d["report"]["manifold"]
for s in m["searches"]: print(s["label"], "| changed within", s["bound"], ":", round(100*s["successRate"]), "% | median budget", s.get("medianBudget"), "| median pixel L2 at the change", s.get("medianPixelL2"))' \
  < "$HERE/manifold-evaluation.json" | tee "$HERE/manifold-summary.txt"
echo "wrote $HERE/{latent-success.txt,figure-latent-bisection.png,figure-class-*.png,class-goals.txt,manifold-*}"
