#!/usr/bin/env bash
# The benchmark in one command: bench/run.sh [rounds] [largest tree]   (defaults: 3 rounds, 1,000,000 files)
# Installs what it compares against when missing (rclone, azure-cli, GNU time from Debian's packages; Azurite
# from npm), packages the app and builds the test classes, then runs com.contoso.sitebackup.bench.Benchmark (backup,
# restore, verify and memory against rclone, az and the SDK, with the app in process and on the real engine),
# OrchestrationCost (the orchestration at up to 1,000,000 files) and RealStackBench (20,000 files on the real engine).
# Tables go to stdout and to target/bench/results.md. The app's engines (the in-process harness, the sidecar):
# src/test/java/com/contoso/sitebackup/bench/AppEngine.java (BENCH_ENGINES=harness or sidecar selects one). The real
# engine needs Go for the sidecar (scripts/sidecar.sh install builds it).
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

# The packaged app too: the real engine runs it (Benchmark's app-sidecar tool and RealStackBench).
mvn -B -q -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
mkdir -p target/bench
export AZURITE_HOME="$PWD/node_modules/azurite" LC_ALL=C.UTF-8
{
  echo "# bench/run.sh $rounds $largest on $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores; rclone $(rclone version | head -1 | cut -d' ' -f2), $(az version -o tsv --query '"azure-cli"' 2>/dev/null | sed 's/^/az /'), Azurite $(node -p "require('./node_modules/azurite/package.json').version")"
  java -Xmx2g -cp "$cp" com.contoso.sitebackup.bench.Benchmark "$rounds" target/bench
  java -Xmx1g -cp "$cp" com.contoso.sitebackup.bench.OrchestrationCost target/bench "$largest" "$rounds"
  java -Xmx1g -cp "$cp" com.contoso.sitebackup.bench.RealStackBench "${REALSTACK_ROUNDS:-3}" target/bench
} | tee target/bench/results.md
