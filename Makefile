# Acus: `make run` starts the service with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: run test lint typecheck pytest install migrate seed bench clean

$(INSTALLED): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit("Acus needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $(INSTALLED)

install: $(INSTALLED)

node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --silent --no-audit --no-fund && touch node_modules/.installed; \
	else echo "npm not found: browser accessibility checks will be skipped outside CI"; fi

run: install
	@scripts/run.sh

migrate: install
	DEBUG=1 $(PY) manage.py migrate

seed: install
	DEBUG=1 $(PY) manage.py seed_demo

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -c pyproject.toml -ll -r accounts booking consent config notifications

typecheck: install
	$(VENV)/bin/mypy .

pytest: install node_modules/.installed
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test: lint typecheck pytest


# Benchmarks need PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/acus_bench).
bench: install
	$(PY) -m bench.seed
	$(PY) -m bench.slots
	$(PY) -m bench.http_booking

clean:
	rm -rf $(VENV) node_modules var .mypy_cache .pytest_cache .ruff_cache
