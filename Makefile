# medvigil: `make demo` runs it, `make test` checks it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
CSAF_VALIDATOR := tools/csaf-validator
CSAF_STAMP := $(CSAF_VALIDATOR)/node_modules/.installed
AXE := tools/axe
AXE_STAMP := $(AXE)/node_modules/.installed

.PHONY: demo test test-postgres lint typecheck contracts pytest bench e2e clean demo-prerequisites test-prerequisites

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP) $@

# The official CSAF validator (npm) that the tests run over every CSAF document medvigil writes.
$(CSAF_STAMP): $(CSAF_VALIDATOR)/package-lock.json
	cd $(CSAF_VALIDATOR) && npm ci --no-audit --no-fund --silent
	touch $@

# System packages (Graphviz, GnuPG, Pango, Chromium, npm): installed when run as root,
# otherwise one line naming the command to run.
demo-prerequisites:
	@tools/prerequisites demo

test-prerequisites:
	@tools/prerequisites test

# axe-core (npm), the accessibility engine the browser tests run on every page.
$(AXE_STAMP): $(AXE)/package-lock.json
	cd $(AXE) && npm ci --no-audit --no-fund --silent
	touch $@

## demo: install, migrate, load the demo portfolio, serve it with a task worker
demo: demo-prerequisites $(STAMP)
	$(BIN)/medvigil migrate
	$(BIN)/medvigil demo
	@echo "Open http://127.0.0.1:8000 and sign in with the user and password above."
	$(BIN)/medvigil serve --host 127.0.0.1 --port 8000 --with-worker

## test: lint, types, the core's purity contract and the test suite on SQLite
test: test-prerequisites lint typecheck contracts pytest

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools

typecheck: $(DEV_STAMP)
	MEDVIGIL_HOME=$$(mktemp -d) $(BIN)/mypy

contracts: $(DEV_STAMP)
	$(BIN)/lint-imports --no-cache

pytest: $(DEV_STAMP) $(CSAF_STAMP) $(AXE_STAMP)
	MEDVIGIL_HOME=$$(mktemp -d) $(BIN)/python -m django makemigrations --check --dry-run --settings=medvigil.settings
	MEDVIGIL_HOME=$$(mktemp -d) $(BIN)/pytest -q -n auto --dist loadfile -p no:cacheprovider

## test-postgres: the same suite on a throwaway PostgreSQL cluster
test-postgres: test-prerequisites $(DEV_STAMP) $(CSAF_STAMP) $(AXE_STAMP)
	MEDVIGIL_HOME=$$(mktemp -d) MEDVIGIL_EXPECT_DATABASE=postgresql tools/with-postgres $(BIN)/pytest -q -n auto --dist loadfile -p no:cacheprovider

## bench: reproducible benchmarks that print figures and ratios
bench: $(STAMP)
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) $(CSAF_VALIDATOR)/node_modules $(AXE)/node_modules .pytest_cache .mypy_cache .ruff_cache
