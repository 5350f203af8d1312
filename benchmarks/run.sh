#!/usr/bin/env bash
# Runs the JMH benchmarks in-process: benchmarks/run.sh [JMH options] [benchmark regex]
# e.g. benchmarks/run.sh -f 1 -wi 2 -i 3 PgdAttack
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f benchmarks/target/classpath.txt ]]; then
  ./mvnw -B -ntp -pl benchmarks -am package -DskipTests
fi
exec java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" org.openjdk.jmh.Main "$@"
