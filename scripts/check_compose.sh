#!/usr/bin/env bash
# Validates docker-compose.yml the way `docker compose config` does, without a Docker engine:
# the Compose v1 CLI (PyPI docker-compose 1.29.2, which implements the Compose spec's
# validation) in a throwaway virtualenv, against a copy of .env.example.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/var/compose-venv"
if command -v docker >/dev/null && docker compose version >/dev/null 2>&1; then
  cd "$root" && cp -n .env.example .env 2>/dev/null || true
  exec docker compose -f "$root/docker-compose.yml" config --quiet
fi
if [ ! -x "$venv/bin/docker-compose" ]; then
  python3.11 -m venv "$venv"
  # PyYAML 5.4 (pinned by docker-compose 1.29) needs Cython < 3 to build on Python 3.11.
  "$venv/bin/pip" install --quiet "cython<3" wheel
  "$venv/bin/pip" install --quiet --no-build-isolation docker-compose==1.29.2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$root/docker-compose.yml" "$work/"
cp "$root/.env.example" "$work/.env"
cd "$work"
"$venv/bin/docker-compose" config --quiet
echo "docker-compose.yml is valid."
