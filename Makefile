# The two commands: `make run` (a working portal on http://127.0.0.1:8000) and `make test` (everything).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP_PY := $(VENV)/.installed
STAMP_JS := node_modules/.installed
MANAGE := $(PY) manage.py

.PHONY: help run test check lint typecheck pytest bench frontend install lock clean

help:
	@echo "make run    - install, migrate, load the demo data and serve http://127.0.0.1:8000"
	@echo "make test   - code gates (ruff, mypy, migrations, djlint) and the whole test suite"
	@echo "make bench  - national-scale benchmarks on PostgreSQL (prints figures)"
	@echo "make lock   - re-resolve requirements.lock and requirements-dev.lock from pyproject.toml"

$(PY):
	python3 -m venv $(VENV)

# Installs again only when a lock file changes.
$(STAMP_PY): requirements-dev.lock | $(PY)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.lock
	touch $@

$(STAMP_JS): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

install: $(STAMP_PY) $(STAMP_JS)

frontend: $(STAMP_JS)
	npm run --silent build

run: install frontend
	DEBUG=true $(MANAGE) migrate --no-input
	DEBUG=true $(MANAGE) load_registry
	DEBUG=true $(MANAGE) load_demo
	DEBUG=true $(MANAGE) runserver 127.0.0.1:8000

lint: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/djlint templates --check
	$(VENV)/bin/djlint templates --lint

typecheck: install
	DEBUG=true $(VENV)/bin/mypy

check: lint typecheck
	DEBUG=true $(MANAGE) makemigrations --check --dry-run
	DEBUG=true $(MANAGE) check

pytest: install frontend
	$(VENV)/bin/pytest

test: check pytest

bench: install frontend
	$(PY) benchmarks/run.py

lock: | $(PY)
	$(PIP) install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --extra dev -o requirements-dev.lock pyproject.toml

clean:
	rm -rf $(VENV) node_modules static/dist staticfiles db.sqlite3
