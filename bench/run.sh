#!/usr/bin/env bash
# The benchmark of issue 22 in one command (README, "Benchmark"):
#
#   bench/run.sh [rounds] [largest tree]   defaults: 3 rounds; OrchestrationCost up to 1,000,000 files
#   BENCH_QUICK=1 bench/run.sh             smoke run: 1 round, small trees (200 small files, 2 x 8 MiB, 2,000 empty;
#                                          OrchestrationCost at 10,000 files; the sweep, if asked, at 200 files)
#   bench/run.sh --sweep [rounds]          the batch-size sweep alone (BatchSizeSweep: BACKUP_BATCH_FILES 64, 128,
#                                          256, 512 on the packaged app on the sidecar, 2,000 and 20,000 small files;
#                                          SWEEP_SIZES, SWEEP_BATCH_FILES, SWEEP_BATCH_MIB override, comma-separated)
#
# Installs what it compares against when missing (rclone and GNU time from the distribution's packages, with sudo
# unless root; Azurite from npm), packages the app (the sidecar engine runs the packaged app) and builds the test
# classes, then runs com.contoso.sitebackup.bench.Benchmark (backup, re-run, restore, verify, large files, 20,000 empty
# files, each against rclone and the SDK ceiling (the large files also against the SDK's upload read through an open
# handle, sdk-handle), with the app in process and on the sidecar; issue 22's goal table;
# storage requests per file from Azurite's debug log) and OrchestrationCost (history events replayed and activities
# per file up to the largest tree, in the harness's delivery and the worst one; exits 1 when a bound breaks). The
# sidecar engine needs the durabletask-go sidecar in .tools/bin (scripts/sidecar.sh install builds it);
# BENCH_ENGINES=harness or BENCH_ENGINES=sidecar measures one engine; BENCH_SCENARIOS=small,large,restore,restore-large,verify,empty
# (comma-separated) runs only those scenarios and BENCH_SKIP_COST=1 skips OrchestrationCost (partial runs, for work on one row);
# BENCH_LARGE_FILES=N backs up N files of 32 MiB in the large scenarios instead of the goal's 8 (how the row moves
# with the job's size; not the goal's measurement);
# BENCH_TOUCH=0 skips the memory touched before each timed run (bench/TouchedMemory; docs/benchmark.md says why);
# BENCH_KEEP_LOGS=1 keeps the sidecar engine's folder (the bridge's metrics.jsonl: each episode's and activity's
# milliseconds) after a run that passed, as after one that failed. Each phase prints its time; the tables go to
# stdout and to target/bench/results.md (the sweep's to target/bench/sweep.md). Run it on a quiet machine: the
# ratios compare tools run in the same round, but a busy machine moves them.
set -euo pipefail
cd "$(dirname "$0")/.."

sweep=0
if [ "${1:-}" = "--sweep" ]; then
  sweep=1
  shift
fi
quick="${BENCH_QUICK:-0}"
if [ "$quick" = 1 ]; then
  rounds="${1:-1}"
  largest="${2:-10000}"
else
  rounds="${1:-3}"
  largest="${2:-1000000}"
fi

phase_started=
phase() {
  echo "== $1${phase_started:+ (previous phase took $((SECONDS - phase_started)) s)}"
  phase_started=$SECONDS
}

phase "tools"
missing=()
command -v rclone >/dev/null || missing+=(rclone)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
[ -x node_modules/.bin/azurite-blob ] || npm ci --no-audit --no-fund
# The sidecar engine's durabletask-go sidecar (built from its pinned source; needs Go), unless only the harness runs.
[ "${BENCH_ENGINES:-}" = harness ] || scripts/sidecar.sh install >/dev/null

phase "build (mvn package, test classes, class path)"
mvn -B -q -o -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test 2>/dev/null \
  || mvn -B -q -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
mkdir -p target/bench
export AZURITE_HOME="$PWD/node_modules/azurite" LC_ALL=C.UTF-8
header="on $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); rclone $(rclone version | head -1 | cut -d' ' -f2), Azurite $(node -p "require('./node_modules/azurite/package.json').version"), $(java -version 2>&1 | head -1)"

if [ "$sweep" = 1 ]; then
  sizes="${SWEEP_SIZES:-$([ "$quick" = 1 ] && echo 200 || echo 2000,20000)}"
  phase "BatchSizeSweep ($sizes files, $rounds round(s))"
  {
    echo "# bench/run.sh --sweep $rounds (sizes $sizes) $header"
    java -Xmx1g -cp "$cp" com.contoso.sitebackup.bench.BatchSizeSweep target/bench "$rounds" "$sizes" \
        "${SWEEP_BATCH_FILES:-64,128,256,512}" "${SWEEP_BATCH_MIB:-64}"
  } | tee target/bench/sweep.md
  phase "done"
  exit 0
fi

quick_flag=()
[ "$quick" = 1 ] && quick_flag=(--quick)
status=0
{
  echo "# bench/run.sh $rounds $largest$([ "$quick" = 1 ] && echo ' (BENCH_QUICK=1)')${BENCH_SCENARIOS:+ (BENCH_SCENARIOS=$BENCH_SCENARIOS)}${BENCH_LARGE_FILES:+ (BENCH_LARGE_FILES=$BENCH_LARGE_FILES)} $header"
  phase "Benchmark ($rounds round(s))"
  java -Xmx2g -cp "$cp" com.contoso.sitebackup.bench.Benchmark "$rounds" target/bench "${quick_flag[@]}"
  if [ "${BENCH_SKIP_COST:-0}" != 1 ]; then
    phase "OrchestrationCost (up to $largest files)"
    java -Xmx1g -cp "$cp" com.contoso.sitebackup.bench.OrchestrationCost target/bench "$largest" "$rounds" \
      || echo "OrchestrationCost exited with $?: a bound broke, see its table"
  fi
  phase "done"
} | tee target/bench/results.md
grep -q "^OrchestrationCost exited" target/bench/results.md && status=1
exit $status
