#!/usr/bin/env bash
# Runs a whole backup of a directory through the in-process test harness (not the Functions host).
# Usage: scripts/harness.sh <directory> [--connection-string CS] [--container NAME]
# Without --connection-string it starts an Azurite of its own (from node_modules).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x node_modules/.bin/azurite-blob ] || npm ci --no-audit --no-fund >&2
mvn -B -q -DskipTests test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/harness.classpath -Dmdep.includeScope=test >&2
exec java -cp "target/test-classes:target/classes:$(cat target/harness.classpath)" \
    com.contoso.sitebackup.harness.HarnessMain "$@"
