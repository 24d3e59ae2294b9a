# 井字镇 portal — developer commands.
#
#   make run               set up (venv, pip, npm, migrate, demo data) and serve http://127.0.0.1:8000
#   make test              set up with the test dependencies and run pytest (PYTEST_ARGS="-k scope -x" passes through)
#   make lint              ruff check . and the import contract (lint-imports, scripts/check_import_cycles.py)
#   make migrations-check  fail if a model change has no migration
#   make fuzz              the API fuzzed from its schema, FUZZ_EXAMPLES (20) examples per operation and role
#
# Needs only Python 3.11 and node/npm. Every set-up step is idempotent: pip and npm are skipped while the stamp
# keyed on the hash of the requirement / lock files is present. DATABASE_URL, REDIS_URL etc. are read from the
# environment by jingzi/settings.py (see README.md).

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
NPM ?= npm
RUN_ADDR ?= 127.0.0.1:8000
PYTEST_ARGS ?=

PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PIP_NO_INPUT := 1

# Short content hashes: a stamp is valid only for the exact files it was made from.
hash = $(shell cat $(1) 2>/dev/null | $(PYTHON) -c "import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest()[:16])")
RUN_STAMP := $(VENV)/.stamp-run-$(call hash,requirements.txt)
DEV_STAMP := $(VENV)/.stamp-dev-$(call hash,requirements.txt requirements-dev.txt)
NPM_STAMP := node_modules/.stamp-npm-$(call hash,package.json package-lock.json)

.PHONY: help run test lint migrations-check fuzz setup setup-dev

help:
	@echo "make run               set up and serve the portal with demo data at http://$(RUN_ADDR)"
	@echo "make test              set up and run the test suite (PYTEST_ARGS=... passes through)"
	@echo "make lint              ruff check . and the import contract (lint-imports)"
	@echo "make migrations-check  makemigrations --check --dry-run"
	@echo "make fuzz              schemathesis over every API operation, FUZZ_EXAMPLES=20 examples each (as in CI)"
	@echo "make bench             performance benchmarks on PostgreSQL (BENCH_ARGS=--reuse|--quick|--no-load|--big)"
	@echo "make demo-time         fresh migrate vs fresh and second load_demo on SQLite, side by side (DEMO_RUNS=3)"

# --- set-up steps ---------------------------------------------------------------------------------------------------

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 needed, found " + sys.version)'
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): | $(PY)
	$(PY) -m pip install -r requirements.txt
	@rm -f $(VENV)/.stamp-run-*
	@touch $@

$(DEV_STAMP): | $(PY)
	$(PY) -m pip install -r requirements-dev.txt
	@rm -f $(VENV)/.stamp-dev-* $(VENV)/.stamp-run-*
	@touch $@ $(RUN_STAMP)

$(NPM_STAMP):
	$(NPM) ci --no-audit --no-fund
	@touch $@

# compilemessages only where gettext's msgfmt exists; otherwise the committed .mo files are used as they are.
define compile_messages
	@if ! command -v msgfmt >/dev/null 2>&1; then \
		echo "msgfmt not found: using the committed .mo files"; \
	elif [ -z "$$(find . -name '*.po' -not -path './$(VENV)/*' -not -path './node_modules/*' -print -quit)" ]; then \
		echo "no .po files to compile"; \
	else \
		$(MANAGE) compilemessages --ignore '$(VENV)' --ignore node_modules; \
	fi
endef

setup: $(RUN_STAMP) $(NPM_STAMP)
	$(compile_messages)

setup-dev: $(DEV_STAMP) $(NPM_STAMP)
	$(compile_messages)

# --- the two commands -----------------------------------------------------------------------------------------------

run: setup
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	$(MANAGE) runserver $(RUN_ADDR)

# pytest's own exit code is kept in test-results/pytest-exit-code (make itself always exits 2 on failure);
# .ci/run passes it on. Exit 5 ("no tests collected") is a failure like any other.
# The whole suite runs on PYTEST_WORKERS processes (pytest-xdist, `--dist loadgroup`: each module's plain tests on
# one worker, tests/demo/ as one, the transactional tests apart and last, in pytest-django's order: tests/conftest.py);
# the tests that stop PostgreSQL or Redis (marker `faults`, kept in tests/reliability/) run after them, alone, as they
# would cut the other worker's connections.
# A part of the suite (PYTEST_ARGS given) runs as asked, in one process.
PYTEST_WORKERS ?= 2
test: setup-dev
	@mkdir -p test-results; rm -f test-results/pytest-exit-code
	@status=0; \
	if [ -z "$(strip $(PYTEST_ARGS))" ]; then \
	  $(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup -m "not faults" || status=$$?; \
	  $(PY) -m pytest -m faults tests/reliability || { faults=$$?; [ $$status -ne 0 ] || status=$$faults; }; \
	else \
	  $(PY) -m pytest $(PYTEST_ARGS) || status=$$?; \
	fi; \
	echo $$status > test-results/pytest-exit-code; \
	if [ $$status -ne 0 ]; then echo "pytest failed with exit code $$status" >&2; fi; \
	exit $$status

# --no-cache: the graph takes a fraction of a second to build, and no cache folder is left in the work tree.
lint: $(DEV_STAMP)
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports --no-cache --no-logo
	$(PY) scripts/check_import_cycles.py

migrations-check: $(DEV_STAMP) $(NPM_STAMP)
	$(MANAGE) makemigrations --check --dry-run

# The suite fuzzes every API operation with a few examples (tests/security/test_schemathesis.py); this searches
# harder, as a county auditor's run did: 20 examples per operation, as the secretary, the leader and without login.
FUZZ_EXAMPLES ?= 20
fuzz: setup-dev
	@mkdir -p test-results; rm -f test-results/fuzz.txt
	@status=0; SCHEMATHESIS_MAX_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_REPORT=test-results/fuzz.txt \
		$(PY) -m pytest tests/security/test_schemathesis.py -p no:cacheprovider -q || status=$$?; \
	cat test-results/fuzz.txt 2>/dev/null; exit $$status

# --- benchmarks (not tests): seed jingzi_bench(_town) on PostgreSQL at BENCH_PG, measure, judge against DESIGN §8 ----
# docs/performance.md explains the figures. Needs a PostgreSQL server (default postgres://postgres@127.0.0.1:5432).
.PHONY: bench
BENCH_ARGS ?=
bench: setup-dev
	$(PY) -m pip install -q -r bench/requirements.txt
	@command -v wrk >/dev/null || apt-get install -y -q wrk || { echo "bench: the capacity run needs wrk (Debian: apt-get install wrk)"; exit 1; }
	$(PY) -m bench.run $(BENCH_ARGS)

# --- the demo's speed: fresh migrate, fresh load_demo, second load_demo on a new SQLite file (DESIGN §8) -------------
.PHONY: demo-time
DEMO_RUNS ?= 1
demo-time: setup
	$(PY) -m bench.demo_time --runs $(DEMO_RUNS)
