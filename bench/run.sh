#!/usr/bin/env bash
# The benchmark in one command: bench/run.sh [rounds]   (default 2 rounds; prints a table)
# Installs what it compares against when missing (rclone, azure-cli, GNU time from Debian's packages; Azurite
# from npm), builds the test classes, then runs com.contoso.sitebackup.bench.Benchmark and OrchestrationCost.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-2}"

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
java -Xmx2g -cp "$cp" com.contoso.sitebackup.bench.Benchmark "$rounds" target/bench
java -Xmx4g -cp "$cp" com.contoso.sitebackup.bench.OrchestrationCost target/bench
mvn -B -q -DskipTests package && java -Xmx1g -cp "$cp" com.contoso.sitebackup.bench.RealStackBench "${REALSTACK_ROUNDS:-3}" target/bench
