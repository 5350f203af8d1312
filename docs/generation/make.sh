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

# a walk between digits: sample i of seed 1 is {"seed": 1, "index": i}; one row per segment
WALK='{"points": [{"seed": 1, "index": 0}, {"seed": 1, "index": 10}, {"seed": 1, "index": 36},
       {"seed": 1, "index": 21}, {"seed": 1, "index": 0}], "steps": 10, "interpolation": "spherical", "scale": 2'
post /api/v1/generate/walk "$WALK}" "$HERE/walk.png"
post /api/v1/generate/walk "$WALK, \"format\": \"gif\", \"frameMillis\": 80}" "$HERE/walk.gif"

# arithmetic: the mean of three samples per concept (Radford et al. section 6.3)
ARITHMETIC='{"plus": [[{"seed": 1, "index": 4}, {"seed": 1, "index": 29}, {"seed": 1, "index": 51}],
                      [{"seed": 1, "index": 9}, {"seed": 1, "index": 31}, {"seed": 1, "index": 58}]],
             "minus": [[{"seed": 1, "index": 6}, {"seed": 1, "index": 12}, {"seed": 1, "index": 43}]],
             "variations": 7, "noise": 0.25, "seed": 1, "scale": 2}'
post /api/v1/generate/arithmetic "$ARITHMETIC" "$HERE/arithmetic.png"
echo "wrote $HERE/samples-seed-1.png, walk.png, walk.gif, arithmetic.png"
