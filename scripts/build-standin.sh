#!/usr/bin/env bash
# Builds the stand-in and the runner (tools/standin: target/site-backup-standin.jar and its lib/) with Maven.
# The root build runs it in its package phase (pom.xml, exec-maven-plugin), passing on whether it runs offline and
# its local repository:  scripts/build-standin.sh [OFFLINE true|false] [LOCAL_REPOSITORY]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
args=(-B -q -f "$root/tools/standin/pom.xml" package)
if [[ "${1:-false}" == "true" ]]; then
    args=(-o "${args[@]}")
fi
if [[ -n "${2:-}" ]]; then
    args+=("-Dmaven.repo.local=$2")
fi
mvn "${args[@]}"
