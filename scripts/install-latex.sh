#!/usr/bin/env bash
# Installs a LaTeX engine (Debian's pdflatex with booktabs and amssymb) so that the tests
# compile every LaTeX export. Idempotent: when the engine and the packages the tests load
# are there it returns at once, without apt.
set -euo pipefail
if command -v pdflatex >/dev/null && kpsewhich booktabs.sty amssymb.sty >/dev/null; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends texlive-latex-base \
  texlive-latex-recommended >/dev/null
pdflatex --version | head -1
