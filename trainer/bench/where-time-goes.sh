#!/usr/bin/env bash
# Where a GAN iteration's time goes: runs `benchmark` under Java Flight Recorder and sorts the main thread's
# samples (in Java and in native code, where ND4J/oneDNN work) by what the net was doing, from the innermost
# frame that says it (an activation inside a convolution layer counts as the activation).
# Needs ./mvnw -B -ntp package -DskipTests (→ trainer/target/dcgan-trainer.jar), the JDK's jfr, python3.
# Usage: trainer/bench/where-time-goes.sh [benchmark options…]   (default: --batch-sizes 64 --iterations 40)
# Env: JAVA_OPTS, e.g. -Dorg.eclipse.deeplearning4j.helpers.disable=true for DL4J's built-in layers.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
JAR="$(dirname "$HERE")/target/dcgan-trainer.jar"
[[ -f "$JAR" ]] || { echo "error: $JAR missing; run ./mvnw -B -ntp package -DskipTests first" >&2; exit 1; }
RECORDING="$(mktemp /tmp/forger-benchmark.XXXXXX.jfr)"
ARGS=("$@")
[[ ${#ARGS[@]} -gt 0 ]] || ARGS=(--batch-sizes 64 --iterations 40)

# shellcheck disable=SC2086
java ${JAVA_OPTS:-} -XX:StartFlightRecording=filename="$RECORDING",settings=profile \
     -jar "$JAR" benchmark "${ARGS[@]}" 2>&1 | grep -v -E '^\[|jfr,startup'
echo "recording: $RECORDING"

jfr print --json --stack-depth 64 --events jdk.NativeMethodSample,jdk.ExecutionSample "$RECORDING" | python3 -c '
import json, sys, collections
# (what, frame patterns): the first category whose pattern matches a frame, scanning from the innermost frame
CATEGORIES = [
    ("activation backward",            ["Activation", ".backprop"]),
    ("activation forward",             ["Activation", ".getActivation"]),
    ("BatchNorm backward",             ["BatchNorm", ".backpropGradient"]),
    ("BatchNorm forward",              ["BatchNorm", ".preOutput"]),
    ("transposed convolution backward", ["Deconvolution2DLayer.backpropGradient"]),
    ("transposed convolution forward", ["Deconvolution2DLayer.preOutput"]),
    ("convolution backward",           ["ConvolutionLayer.backpropGradient"]),
    ("convolution forward",            ["ConvolutionLayer.preOutput"]),
    ("dense layers",                   ["DenseLayer.", "BaseLayer.preOutput", "BaseLayer.backpropGradient"]),
    ("Adam update",                    ["Updater"]),
    ("loss",                           ["LogitLoss"]),
]
def category(frames):
    for frame in frames:
        for name, patterns in CATEGORIES:
            if all(p in frame for p in patterns):
                return name
    return None
counts = collections.Counter()
events = json.load(sys.stdin)["recording"]["events"]
for event in events:
    frames = [f["method"]["type"]["name"].split("/")[-1] + "." + f["method"]["name"]
              for f in event["values"]["stackTrace"]["frames"]]
    if not any(f.startswith("GanStep.") for f in frames):
        continue            # start-up, net building, warm-up outside the iteration
    counts[category(frames) or "other (allocation, shape bookkeeping, workspaces)"] += 1
total = sum(counts.values())
print(f"{total} samples inside GanStep.run")
for name, n in counts.most_common():
    print(f"{100 * n / total:5.1f} %  {name}")
'
