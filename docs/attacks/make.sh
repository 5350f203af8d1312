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

# 2. a robustness report over 64 generated digits: six attacks, the default epsilon sweep
job=$(curl -sf -X POST -H 'Content-Type: application/json' "$BASE/api/v1/evaluate" -d '{"count": 64, "seed": 7,
  "attacks": [{"method": "fgsm"}, {"method": "pgd"}, {"method": "apgd"}, {"method": "square"},
              {"method": "deepfool"}, {"method": "cw"}]}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["self"])')
until curl -sf "$BASE$job" | python3 -c 'import json,sys; s=json.load(sys.stdin)["state"]; sys.exit(0 if s in ("succeeded","failed","cancelled") else 1)'; do
  sleep 2
done
curl -sf "$BASE$job" | python3 -m json.tool > "$HERE/evaluation.json"
curl -sf -o "$HERE/evaluation.png" "$BASE$job/chart"
echo "wrote $HERE/figure-{pgd,deepfool,square}.png, evaluation.json, evaluation.png"
