#!/usr/bin/env bash
# Makes README's "Worst case, masking checks, transfer and reproduction" numbers with the service itself: an
# L∞ and an L2 ε sweep of `auto` and of each of its members alone on the default model, the masking diagnostics of that
# report, and the transfer matrix between three discriminators of the same image shape, all on the same 64 digits
# (the default generator's, seed 7 — the images of README's attack table).
#
# It starts the packaged jar (build it first: ./mvnw -B -ntp package -DskipTests) on a free port with a models
# folder holding
#   mnist-dcgan-seed2  a second DL4J DCGAN, trained independently (seed 2, 12 epochs; docs/robustness/mnist-dcgan-seed2,
#                      its manifest says how it was made), and
#   torch-dcgan        the PyTorch-exported pair of the service's tests (torch.onnx.export, random weights: the
#                      reference point of a discriminator that learnt nothing),
# then evaluates from each source model to the other two and writes evaluation-<model>.json, the charts
# sweep-mnist-dcgan.png and transfer-<model>.png, and report-mnist-dcgan.csv beside this script, and prints README's
# tables. About 15 minutes on 2 cores.
# Needs curl and python3. Usage: docs/robustness/make.sh [PORT]
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$HERE/../.."
PORT="${1:-8089}"
BASE="http://localhost:$PORT"
JAR="$ROOT/service/target/quarkus-app/quarkus-run.jar"
[[ -f "$JAR" ]] || { echo "no $JAR: build it first (./mvnw -B -ntp package -DskipTests)" >&2; exit 1; }

WORK="$(mktemp -d)"
SERVICE=""
trap '[[ -n "$SERVICE" ]] && kill "$SERVICE" 2>/dev/null; rm -rf "$WORK"' EXIT
mkdir -p "$WORK/models/torch-dcgan"
cp -r "$HERE/mnist-dcgan-seed2" "$WORK/models/"
TORCH="$ROOT/service/src/test/resources/torch-dcgan/dynamo"
cp "$TORCH/netG.onnx" "$TORCH/netD.onnx" "$WORK/models/torch-dcgan/"
python3 - "$WORK/models/torch-dcgan" <<'PY'
import hashlib, json, pathlib, sys
d = pathlib.Path(sys.argv[1])
sha = lambda f: hashlib.sha256((d / f).read_bytes()).hexdigest()
json.dump({"name": "torch-dcgan", "version": "torch-2.13-dynamo",
           "description": "DCGAN exported by PyTorch (random weights; service/src/test/resources/torch-dcgan)",
           "image": {"channels": 1, "height": 32, "width": 32},
           "latent": {"dim": 16, "distribution": "normal", "mean": 0.0, "std": 1.0},
           "generator": {"file": "netG.onnx", "sha256": sha("netG.onnx")},
           "discriminator": {"file": "netD.onnx", "sha256": sha("netD.onnx")}},
          open(d / "manifest.json", "w"), indent=2)
PY

java -Dquarkus.http.port="$PORT" -Dforger.models.dir="$WORK/models" -Dforger.store.dir="$WORK/store" \
     -jar "$JAR" > "$WORK/service.log" 2>&1 &
SERVICE=$!
until curl -sf "$BASE/q/health/ready" > /dev/null; do
  kill -0 "$SERVICE" 2>/dev/null || { cat "$WORK/service.log" >&2; exit 1; }
  sleep 1
done

MODELS=(mnist-dcgan mnist-dcgan-seed2 torch-dcgan)
others() { printf '%s\n' "${MODELS[@]}" | grep -vx "$1" | paste -sd, -; }
await() {
  until curl -sf "$BASE$1" | python3 -c 'import json,sys; s=json.load(sys.stdin)["state"]; sys.exit(0 if s in ("succeeded","failed","cancelled") else 1)'; do
    sleep 5
  done
}
job_of() { python3 -c 'import json,sys; print(json.load(sys.stdin)["self"])'; }
# POSTs the JSON evaluation $1, waits for it, keeps its report, chart and CSV as evaluation-/sweep-/report-$2; JOB is its URL
evaluate_json() {
  JOB=$(curl -sf -X POST -H 'Content-Type: application/json' "$BASE/api/v1/evaluate" -d "$1" | job_of)
  await "$JOB"
  curl -sf "$BASE$JOB" | python3 -m json.tool > "$HERE/evaluation-$2.json"
  curl -sf -o "$HERE/sweep-$2.png" "$BASE$JOB/chart"
  curl -sf -o "$HERE/report-$2.csv" "$BASE$JOB/report.csv"
}

# 1. the default model: auto and each member alone at auto's own budget (AutoAttack's: 100 APGD steps, 5,000 Square
#    queries), so that per image auto must break exactly what the best member breaks; the default ε sweep of 1, 2, 4,
#    8 and 16 grey levels; adversarial images scored on the two other models too
REQUEST='{"model": "mnist-dcgan", "count": 64, "seed": 7, "transferTo": ["mnist-dcgan-seed2", "torch-dcgan"],
  "attacks": ["auto", {"method": "apgd", "steps": 100}, {"method": "apgd-margin", "steps": 100},
              {"method": "square", "queries": 5000}]}'
evaluate_json "$REQUEST" mnist-dcgan
curl -sf -o "$HERE/transfer-mnist-dcgan.png" "$BASE$JOB/transfer"

# 1b. the same on the L2 ball (ε in pixel units of [0, 1]; deepfool's median L2 on these digits is about 0.18)
REQUEST='{"model": "mnist-dcgan", "count": 64, "seed": 7, "epsilons": [0.05, 0.1, 0.2, 0.4, 0.8],
  "attacks": [{"method": "auto", "norm": "l2"}, {"method": "apgd", "norm": "l2", "steps": 100},
              {"method": "apgd-margin", "norm": "l2", "steps": 100}, {"method": "square", "norm": "l2", "queries": 5000}]}'
evaluate_json "$REQUEST" mnist-dcgan-l2

# 2. the other rows of the transfer matrix: auto on each other model as the source, on the very same 64 digits
#    (the default generator's, seed 7: uploaded, so every source attacks the same images)
curl -sf -o "$WORK/digits.npy" "$BASE/api/v1/generate?model=mnist-dcgan&count=64&seed=7&format=npy"
for source in mnist-dcgan-seed2 torch-dcgan; do
  job=$(curl -sf -X POST --data-binary @"$WORK/digits.npy" -H 'Content-Type: application/x-npy' \
        "$BASE/api/v1/evaluate?model=$source&attacks=auto&seed=7&transferTo=$(others "$source")" | job_of)
  await "$job"
  curl -sf "$BASE$job" | python3 -m json.tool > "$HERE/evaluation-$source.json"
  curl -sf -o "$HERE/transfer-$source.png" "$BASE$job/transfer"
done
echo "wrote $HERE/evaluation-*.json, sweep-mnist-dcgan{,-l2}.png, transfer-*.png, report-mnist-dcgan{,-l2}.csv"

# README's tables, from the reports and the default model's CSV
python3 - "$HERE" "${MODELS[@]}" <<'PY'
import csv, json, sys, collections
here, models = sys.argv[1], sys.argv[2:]
reports = {m: json.load(open(f"{here}/evaluation-{m}.json")) for m in models}
main = reports[models[0]]
assert main["state"] == "succeeded", main["state"]
report = main["report"]
eps = report["epsilons"]
grey = lambda e: str(round(e * 255))
def sweep_table(report, csv_file, label):
    eps = report["epsilons"]
    print(f"ε sweep on {models[0]} ({label}, 64 generated digits, success rate and mean model calls per image):")
    print("| attack | " + " | ".join(label_of(e) for e in eps) + " |")
    print("|---" * (len(eps) + 1) + "|")
    for method in ("auto", "apgd", "apgd-margin", "square"):
        rate = {p["epsilon"]: p["successRate"] for p in report["sweep"] if p["method"] == method}
        calls = {p["epsilon"]: p["meanGradientCalls"] + p["meanForwardCalls"] for p in report["sweep"] if p["method"] == method}
        print(f"| {method} | " + " | ".join(f"{rate[e] * 100:.0f} % ({calls[e]:,.0f})" for e in eps) + " |")
    # per image and ε: auto broke it whenever a member alone did
    rows = list(csv.DictReader(open(csv_file)))
    broken = collections.defaultdict(dict)
    by = collections.Counter()
    for r in rows:
        broken[(r["image"], r["epsilon"])][r["method"]] = r["success"] == "true"
        if r["method"] == "auto" and r["brokenBy"]:
            by[(label_of(float(r["epsilon"])), r["brokenBy"])] += 1
    worse = [k for k, v in broken.items() if v["auto"] < max(v["apgd"], v["apgd-margin"], v["square"])]
    print(f"images x ε where a member alone broke what auto did not: {len(worse)} of {len(broken)}")
    print("auto's breaks by member:", dict(sorted(by.items())))
    print("warnings:", [c["check"] for c in report["warnings"]])

label_of = lambda e: grey(e) + "/255"
sweep_table(report, f"{here}/report-{models[0]}.csv", "L∞")
l2 = json.load(open(f"{here}/evaluation-{models[0]}-l2.json"))
assert l2["state"] == "succeeded", l2["state"]
label_of = lambda e: f"L2 {e:g}"
sweep_table(l2["report"], f"{here}/report-{models[0]}-l2.csv", "L2")
label_of = lambda e: grey(e) + "/255"

print("\ndiagnostics:")
for c in report["diagnostics"]:
    where = f"{c['method']} at {grey(c['epsilon'])}/255" if c.get("epsilon") else ""
    print(f"| {c['check']} | {c['status']} | {c.get('value', '—')} | {c['limit']} | {where} |")
print("warnings:", [c["check"] for c in report["warnings"]])

shas = {m: r["provenance"]["images"]["sha256"] for m, r in reports.items()}
assert len(set(shas.values())) == 1, f"the sources attacked different images: {shas}"
print("\ntransfer of auto's adversarial images (rows: source; columns: share meeting the goal on each model):")
for e in eps:
    print(f"ε {grey(e)}/255")
    print("| source \\ scored on | " + " | ".join(models) + " |")
    print("|---" * (len(models) + 1) + "|")
    for source in models:
        point = next(t for t in reports[source]["report"]["transfer"] if t["method"] == "auto" and t["epsilon"] == e)
        print(f"| {source} | " + " | ".join(f"{point['successRate'][m] * 100:.0f} %" for m in models) + " |")
PY
