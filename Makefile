# Two commands for a newcomer: `make demo` and `make test`. Both install what they need.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install browser latex demo test lint format compose-check clean

install: $(STAMP)

# torch is pinned on its own line: the CPU wheel of 2.13.0 is what this project runs on;
# an unpinned torch would pull a multi-GB CUDA build.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

# Debian's chromium, driven by Playwright in the browser tests.
browser:
	scripts/install-chromium.sh

demo: install
	$(BIN)/python manage.py demo

# Debian's pdflatex (with booktabs): the tests compile every LaTeX export.
latex:
	scripts/install-latex.sh

test: install browser latex
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

compose-check:
	scripts/check_compose.sh

clean:
	rm -rf var artifacts
