# Houqin — the two commands of the README, and a few more.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/logistics
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: run test venv deps dev-deps system-deps lint check pytest smoke-sqlite runtime-check messages bench bench-repairs bench-assets bench-canteen bench-finance clean

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PIP) install -q -r requirements-dev.txt
	@touch $@

dev-deps: $(VENV)/.dev-installed

# Debian packages the tests need (Chromium for browser tests, CJK fonts and pango for PDFs, gettext).
system-deps:
	@bash scripts/system-deps.sh

## make run — zero configuration: SQLite + filesystem broker + demo data; web, worker and beat in one command.
run: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@HOST=$(HOST) PORT=$(PORT) PY=$(PY) bash scripts/run.sh

## make test — everything, on PostgreSQL and Redis, as CI runs it.
test: system-deps dev-deps lint check pytest smoke-sqlite runtime-check

lint: dev-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: dev-deps
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) scripts/ensure_db.py
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) manage.py check
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py compilemessages --ignore=.venv -v0

pytest: dev-deps
	DATABASE_URL=$(TEST_DATABASE_URL) TEST_REDIS_URL=$(TEST_REDIS_URL) $(VENV)/bin/pytest --create-db -n 2 --dist loadgroup
	@echo "browser screenshots: var/test-artifacts/"

# make run's default keeps working: migrate, seed and smoke-test on a throwaway SQLite database.
smoke-sqlite: dev-deps
	@rm -rf var/smoke && mkdir -p var/smoke
	VAR_DIR=var/smoke DATABASE_URL= $(PY) manage.py migrate --noinput -v0
	VAR_DIR=var/smoke DATABASE_URL= $(PY) manage.py seed_demo
	VAR_DIR=var/smoke DATABASE_URL= $(PY) manage.py smoke

# A venv from requirements.txt alone imports every module and runs a task through a worker on Redis.
runtime-check:
	REDIS=$(TEST_REDIS_URL) PYTHON=$(PYTHON) bash scripts/runtime-check.sh

# The domain apps (top-level packages with an apps.py): each has its own catalogue; the project's covers the rest.
DOMAIN_APPS := $(patsubst %/apps.py,%,$(wildcard */apps.py))

messages: dev-deps
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var --ignore=tests --ignore=bench $(foreach app,$(DOMAIN_APPS),--ignore=$(app))
	$(PY) scripts/zh_platform.py
	for app in $(DOMAIN_APPS); do (cd $$app && ../$(PY) ../manage.py makemessages -l zh_Hans) || exit 1; done
	$(PY) manage.py compilemessages --ignore=.venv

bench: bench-repairs bench-assets bench-canteen bench-finance

bench-repairs: dev-deps
	$(PY) bench/bench_repairs.py

bench-assets: dev-deps
	$(PY) bench/bench_assets.py

bench-canteen: dev-deps
	$(PY) bench/bench_canteen.py

bench-finance: dev-deps
	$(PY) bench/bench_finance.py

clean:
	rm -rf var/smoke var/test-artifacts .pytest_cache
