#!/usr/bin/env bash
# A models folder holding the embedded default bundle (its generator and discriminator, unchanged) with the
# classifier member of another exported bundle: the trainer's digit CNN is trained on real digits only, so any
# run's is the default bundle's too. Used while the default bundle ships no classifier of its own.
# Usage: docs/manifold/with-classifier.sh EXPORTED_BUNDLE MODELS_DIR   (then: -Dforger.models.dir=MODELS_DIR)
#   e.g. java -jar trainer/target/dcgan-trainer.jar export --checkpoint RUN --out /tmp/exported
#        docs/manifold/with-classifier.sh /tmp/exported /tmp/models   # makes /tmp/models/mnist-classified
set -euo pipefail
FROM="$1"
OUT="$2/mnist-classified"
DEFAULT="$(cd "$(dirname "$0")/../.." && pwd)/service/src/main/resources/models/mnist-dcgan"
mkdir -p "$OUT"
cp "$DEFAULT"/generator.onnx "$DEFAULT"/discriminator.onnx "$DEFAULT"/discriminator-grad.onnx "$OUT"/
cp "$FROM"/classifier.onnx "$OUT"/
python3 - "$DEFAULT/manifest.json" "$FROM/manifest.json" "$OUT/manifest.json" <<'PY'
import json, sys
default = json.load(open(sys.argv[1]))
classifier = json.load(open(sys.argv[2]))["classifier"]
default["name"] = "mnist-classified"
default["description"] += f"; with the classifier of {json.load(open(sys.argv[2]))['name']}"
default["classifier"] = classifier
json.dump(default, open(sys.argv[3], "w"), indent=2)
PY
echo "wrote $OUT (classifier: held-out accuracy $(python3 -c "import json; print(json.load(open('$OUT/manifest.json'))['classifier']['heldOutAccuracy'])"))"
