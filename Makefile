# Acus: `make run` starts the service with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BASE_LOCK := requirements/base.txt
DEV_LOCK := requirements/dev.txt
# Stamps: the runtime lock alone (make run, the Docker image), then the dev lock on top (make test).
BASE := $(VENV)/.installed-base
DEV := $(VENV)/.installed-dev
PIP_INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check --require-hashes

.PHONY: run test lint typecheck pytest install install-dev lock migrate seed bench clean messages catalogues

$(BASE): $(BASE_LOCK)
	@$(PYTHON) -c 'import sys; sys.exit("Acus needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -r $(BASE_LOCK)
	touch $(BASE)

$(DEV): $(BASE) $(DEV_LOCK)
	$(PIP_INSTALL) -r $(BASE_LOCK) -r $(DEV_LOCK)
	touch $(DEV)

install: $(BASE)

install-dev: $(DEV)

# Recompile the locks after changing requirements/*.in. Against PyPI alone (no local indexes or
# find-links from this machine's pip config), so every platform's wheel hash is listed.
lock: install-dev
	PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
	  --strip-extras --no-emit-index-url --no-emit-find-links -o $(BASE_LOCK) requirements/base.in
	PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
	  --strip-extras --no-emit-index-url --no-emit-find-links -o $(DEV_LOCK) requirements/dev.in

node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --silent --no-audit --no-fund && touch node_modules/.installed; \
	else echo "npm not found: browser accessibility checks will be skipped outside CI"; fi

# Translations: `make messages` extracts every marked string into the catalogues (needs GNU
# gettext's xgettext); translate the new entries in each <app>/locale/<lang>/LC_MESSAGES/*.po.
# `make catalogues` compiles them with Babel (pure Python: no gettext needed to run Acus).
MESSAGES_IGNORE := --ignore=.venv --ignore=node_modules --ignore=var --ignore=tests --ignore=bench --ignore=.ci
LOCALES := -l es -l fr

messages: install
	DEBUG=1 $(PY) manage.py makemessages $(LOCALES) --no-obsolete --no-location $(MESSAGES_IGNORE)
	DEBUG=1 $(PY) manage.py makemessages -d djangojs $(LOCALES) --no-obsolete --no-location $(MESSAGES_IGNORE) --ignore=staticfiles

catalogues: install
	DEBUG=1 $(PY) manage.py compile_catalogues

run: install catalogues
	@scripts/run.sh

migrate: install
	DEBUG=1 $(PY) manage.py migrate

seed: install
	DEBUG=1 $(PY) manage.py seed_demo

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/bandit -q -c pyproject.toml -ll -r core accounts booking care waitlist calendars consent config notifications workspace compliance interop

typecheck: install-dev
	$(VENV)/bin/mypy .

# One pytest-xdist worker per core (at most 4; `make test PYTEST_WORKERS=0` runs in one process):
# much of the suite waits on gunicorn, Celery, Radicale, PgBouncer and Chromium, and each worker
# has its own test database and Redis database (config/test_settings.py). `worksteal` lets an
# idle worker take tests queued for the other; the slowest tests start first (tests/conftest.py).
PYTEST_WORKERS ?= auto
pytest: install-dev node_modules/.installed catalogues
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --maxprocesses 4 --dist worksteal $(PYTEST_ARGS)

test: lint typecheck pytest


# Benchmarks need PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/acus_bench).
bench: install-dev
	$(PY) -m bench.seed
	$(PY) -m bench.slots
	$(PY) -m bench.http_booking

clean:
	rm -rf $(VENV) node_modules var .mypy_cache .pytest_cache .ruff_cache
