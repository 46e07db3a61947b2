#!/bin/sh
# Installs the load generator that benchmarks/answers.py drives: wrk (Debian package), which
# keeps hundreds of connections open from one thread with a Lua script per request. Idempotent:
# does nothing when wrk is already on the PATH. Needs root (apt-get); run as
#   sudo scripts/install-bench-tools.sh
set -eu
if command -v wrk >/dev/null 2>&1; then
    echo "wrk already installed: $(command -v wrk)"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "apt-get not found: install wrk (https://github.com/wg/wrk) with your package manager" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends wrk
command -v wrk
