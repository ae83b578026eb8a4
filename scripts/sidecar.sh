#!/usr/bin/env bash
# The Durable Task engine the tests and the local runner use: durabletask-go (pinned in tools/sidecar/go.mod)
# as a gRPC sidecar with a SQLite store. Needs Go 1.23 or later to build it once.
#
#   scripts/sidecar.sh install     build .tools/bin/durabletask-sidecar unless it is current; print its path
#   scripts/sidecar.sh test        go vet and go test of its source (tools/sidecar), built with install's flags
#                                  (-trimpath), so they reuse its packages from Go's build cache
#   scripts/sidecar.sh start [DIR] start it on a free loopback port with DIR/hub.sqlite (DIR: a new temporary
#                                  folder when omitted; reused, with its task hub, when given); print the port.
#                                  Its log is DIR/sidecar.log, its process id DIR/sidecar.pid.
#   scripts/sidecar.sh stop DIR    stop the sidecar started in DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
src="$root/tools/sidecar"
bin="$root/.tools/bin/durabletask-sidecar"

install() {
    local hash
    hash=$(cat "$src/go.mod" "$src/go.sum" "$src"/*.go | sha256sum | cut -d' ' -f1)
    # Built once per source: the stamp names the sources the binary was built from.
    if [[ -x "$bin" && -f "$bin.source" && "$(cat "$bin.source")" == "$hash" ]]; then
        echo "$bin"
        return
    fi
    if ! command -v go >/dev/null; then
        echo "sidecar.sh: Go is not installed; install Go 1.23 or later (https://go.dev/dl/) to build the pinned" \
             "durabletask-go sidecar" >&2
        exit 1
    fi
    mkdir -p "$(dirname "$bin")"
    echo "sidecar.sh: building the durabletask-go sidecar ($(grep durabletask-go "$src/go.mod" | xargs))" >&2
    (cd "$src" && go build -mod=readonly -buildvcs=false -trimpath -o "$bin.tmp" .)
    mv "$bin.tmp" "$bin"
    echo "$hash" > "$bin.source"
    echo "$bin"
}

start() {
    local dir=${1:-} port line
    install >/dev/null
    if [[ -z "$dir" ]]; then
        dir=$(mktemp -d "${TMPDIR:-/tmp}/sidecar.XXXXXX")
    fi
    mkdir -p "$dir"
    "$bin" --host 127.0.0.1 --port 0 --db "$dir/hub.sqlite" >"$dir/sidecar.out" 2>"$dir/sidecar.log" &
    echo $! >"$dir/sidecar.pid"
    for _ in $(seq 100); do
        line=$(head -n 1 "$dir/sidecar.out" 2>/dev/null || true)
        if [[ "$line" == "listening on "* ]]; then
            port=${line##*:}
            echo "sidecar.sh: pid $(cat "$dir/sidecar.pid"), task hub $dir/hub.sqlite, log $dir/sidecar.log" >&2
            echo "$port"
            return
        fi
        if ! kill -0 "$(cat "$dir/sidecar.pid")" 2>/dev/null; then
            echo "sidecar.sh: the sidecar exited at start:" >&2
            cat "$dir/sidecar.log" >&2
            exit 1
        fi
        sleep 0.1
    done
    echo "sidecar.sh: the sidecar did not listen within 10 s; see $dir/sidecar.log" >&2
    kill "$(cat "$dir/sidecar.pid")" 2>/dev/null || true
    exit 1
}

stop() {
    local dir=${1:?"usage: sidecar.sh stop DIR"} pid
    pid=$(cat "$dir/sidecar.pid")
    kill "$pid" 2>/dev/null || return 0
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
}

case "${1:-}" in
    install) install ;;
    test) cd "$src" && go vet -mod=readonly -trimpath . && go test -mod=readonly -trimpath -count=1 . ;;
    start) start "${2:-}" ;;
    stop) stop "${2:-}" ;;
    *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
