#!/usr/bin/env bash
# Builds the stand-in and the runner (tools/standin: target/site-backup-standin.jar and its lib/) with Maven.
# The root build runs it in its package phase (pom.xml, exec-maven-plugin), passing on whether it runs offline and
# its local repository:  scripts/build-standin.sh [offline=true|false] [repository=DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
args=(-B -q -f "$root/tools/standin/pom.xml" package)
for arg in "$@"; do
    case "$arg" in
        offline=true) args=(-o "${args[@]}") ;;
        offline=*) ;;
        repository=) ;;
        repository=*) args+=("-Dmaven.repo.local=${arg#repository=}") ;;
        *) echo "build-standin.sh: not understood: $arg" >&2; exit 2 ;;
    esac
done
mvn "${args[@]}"
