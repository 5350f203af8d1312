#!/usr/bin/env bash
# Makes the pictures and the report of README's "Attacks" section with a running service (default:
# the jar on localhost:8080 with the embedded mnist-dcgan). Needs curl and python3 (for the JSON).
# Usage: docs/attacks/make.sh [BASE_URL]
set -euo pipefail
BASE="${1:-http://localhost:8080}"
HERE="$(cd "$(dirname "$0")" && pwd)"
DIGITS="$HERE/../../service/src/test/resources/attacks/mnist-real-32.npy"   # 32 real MNIST digits, framed 32x32

# 1. original / perturbation / adversarial for six real digits, one figure per attack
python3 - "$DIGITS" "$HERE/six-digits.npy" <<'PY'
import sys, struct
raw = open(sys.argv[1], 'rb').read()
header_len = struct.unpack('<H', raw[8:10])[0]
header = raw[10:10 + header_len].decode('latin1')
data = raw[10 + header_len:]
six = header.replace('(32, 32, 32)', '(6, 32, 32)')
assert six != header, header
pad = (64 - (10 + len(six)) % 64) % 64
six = six.rstrip('\n') + ' ' * pad + '\n'
open(sys.argv[2], 'wb').write(raw[:8] + struct.pack('<H', len(six)) + six.encode('latin1') + data[:6 * 32 * 32])
PY
for method in pgd deepfool square; do
  curl -sf -o "$HERE/figure-$method.png" -X POST --data-binary @"$HERE/six-digits.npy" \
       -H 'Content-Type: application/x-npy' "$BASE/api/v1/attack?method=$method&format=figure"
done
rm "$HERE/six-digits.npy"

# 2. a robustness report over 64 generated digits: six attacks, the default epsilon sweep (1, 2, 4, 8 and 16 grey
#    levels, k/255 exactly). This is the very request README.md shows; the table printed at the end is README's.
REQUEST='{"count": 64, "seed": 7, "attacks": ["fgsm", "pgd", "apgd", "square", "deepfool", "cw"]}'
job=$(curl -sf -X POST -H 'Content-Type: application/json' "$BASE/api/v1/evaluate" -d "$REQUEST" \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["self"])')
until curl -sf "$BASE$job" | python3 -c 'import json,sys; s=json.load(sys.stdin)["state"]; sys.exit(0 if s in ("succeeded","failed","cancelled") else 1)'; do
  sleep 2
done
curl -sf "$BASE$job" | python3 -m json.tool > "$HERE/evaluation.json"
curl -sf -o "$HERE/evaluation.png" "$BASE$job/chart"
echo "wrote $HERE/figure-{pgd,deepfool,square}.png, evaluation.json, evaluation.png"

# 3. README's table, from evaluation.json
python3 - "$HERE/evaluation.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))["report"]
eps = report["epsilons"]
names = {"fgsm": "fgsm", "pgd": "pgd (20 steps)", "apgd": "apgd (20 steps)",
         "square": "square (2,000 queries, no gradients)"}
print("| ε (grey levels of 255) | " + " | ".join(str(round(e * 255)) for e in eps) + " |")
print("|---" * (len(eps) + 1) + "|")
for method, label in names.items():
    rates = {p["epsilon"]: p["successRate"] for p in report["sweep"] if p["method"] == method}
    print(f"| {label} success | " + " | ".join(f"{rates[e] * 100:.0f} %" for e in eps) + " |")
for method, label in names.items():
    linf = max(p["meanLinf"] - p["epsilon"] for p in report["sweep"] if p["method"] == method)
    assert linf <= 0, f"{method}: a mean L∞ above its ε"
before = [p["meanRealProbabilityBefore"] for p in report["sweep"]][0]
print(f"mean P(real) before the attack: {before:.2f}")
for m in report["minimal"]:
    print(f'{m["method"]}: success {m["successRate"] * 100:.0f} %, median L2 {m["medianL2"]:.2f},'
          f' {m["meanGradientCalls"]:.0f} gradient calls per image on average')
PY
