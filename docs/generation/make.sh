#!/usr/bin/env bash
# Makes the pictures of README's "Generation" section with a running service (default: the jar on
# localhost:8080 with the embedded mnist-dcgan). Needs curl.
# Usage: docs/generation/make.sh [BASE_URL]
set -euo pipefail
BASE="${1:-http://localhost:8080}"
HERE="$(cd "$(dirname "$0")" && pwd)"
post() { # path json output
  curl -sf -o "$3" -X POST -H 'Content-Type: application/json' -d "$2" "$BASE$1"
}

# the samples the figures pick from: sample i is row i/8, column i%8 of this grid
curl -sf -o "$HERE/samples-seed-1.png" "$BASE/api/v1/generate?count=64&seed=1&format=grid"

# a walk between digits, spherical: 7 -> 0 -> 3 -> 8 -> 7 (samples 8, 9, 40, 47 of seed 1); a row per segment
WALK='{"points": [{"seed": 1, "index": 8}, {"seed": 1, "index": 9}, {"seed": 1, "index": 40},
       {"seed": 1, "index": 47}, {"seed": 1, "index": 8}], "steps": 10, "interpolation": "spherical", "scale": 2'
post /api/v1/generate/walk "$WALK}" "$HERE/walk.png"
post /api/v1/generate/walk "$WALK, \"format\": \"gif\", \"frameMillis\": 80}" "$HERE/walk.gif"

# arithmetic, each concept the mean of three samples of seed 1 (Radford et al. section 6.3):
# sevens (8, 10, 31) + zeros (9, 25, 34) - ones (11, 22, 50), then the result and 7 variations (noise 0.25);
# each sample picked where the eye and the bundle's classifier (/score's predictedClass) agree on the digit
ARITHMETIC='{"plus": [[{"seed": 1, "index": 8}, {"seed": 1, "index": 10}, {"seed": 1, "index": 31}],
                      [{"seed": 1, "index": 9}, {"seed": 1, "index": 25}, {"seed": 1, "index": 34}]],
             "minus": [[{"seed": 1, "index": 11}, {"seed": 1, "index": 22}, {"seed": 1, "index": 50}]],
             "variations": 7, "noise": 0.25, "seed": 1, "scale": 2}'
post /api/v1/generate/arithmetic "$ARITHMETIC" "$HERE/arithmetic.png"
echo "wrote $HERE/samples-seed-1.png, walk.png, walk.gif, arithmetic.png"
