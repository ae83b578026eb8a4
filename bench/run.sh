#!/usr/bin/env bash
# The benchmark in one command: bench/run.sh [rounds] [largest tree]   (defaults: 3 rounds, 1,000,000 files)
# Installs what it compares against when missing (rclone, azure-cli, GNU time from Debian's packages; Azurite
# from npm), builds the test classes, then runs com.contoso.sitebackup.bench.Benchmark (backup, restore, verify
# and memory against rclone, az and the SDK) and OrchestrationCost (the orchestration at up to 1,000,000 files).
# Tables go to stdout and to target/bench/results.md. Engines besides the in-process harness: see
# src/test/java/com/contoso/sitebackup/bench/AppEngine.java (BENCH_ENGINES selects them).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
largest="${2:-1000000}"

missing=()
command -v rclone >/dev/null || missing+=(rclone)
command -v az >/dev/null || missing+=(azure-cli)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
[ -x node_modules/.bin/azurite-blob ] || npm ci --no-audit --no-fund

mvn -B -q -DskipTests test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
mkdir -p target/bench
export AZURITE_HOME="$PWD/node_modules/azurite" LC_ALL=C.UTF-8
{
  echo "# bench/run.sh $rounds $largest on $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores; rclone $(rclone version | head -1 | cut -d' ' -f2), $(az version -o tsv --query '"azure-cli"' 2>/dev/null | sed 's/^/az /'), Azurite $(node -p "require('./node_modules/azurite/package.json').version")"
  java -Xmx2g -cp "$cp" com.contoso.sitebackup.bench.Benchmark "$rounds" target/bench
  java -Xmx1g -cp "$cp" com.contoso.sitebackup.bench.OrchestrationCost target/bench "$largest" "$rounds"
  mvn -B -q -DskipTests package >&2 && java -Xmx1g -cp "$cp" com.contoso.sitebackup.bench.RealStackBench "${REALSTACK_ROUNDS:-3}" target/bench
} | tee target/bench/results.md
