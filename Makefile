# Developer tasks for wagtail-policycomms.
#
# A fresh machine needs only Python >= 3.11 (with its venv module) and GNU make:
# `make demo` and `make test` create .venv and install everything else from PyPI.
# Run `make help` for the list of targets.

PYTHON ?= python3
VENV ?= .venv
PYTEST_ARGS ?=
# Test processes: one per CPU (pytest-xdist); TEST_WORKERS=0 runs in this process.
TEST_WORKERS ?= auto
BENCH_SIZE ?= small
BENCH_ARGS ?=

VENV_PYTHON := $(VENV)/bin/python
STAMP := $(VENV)/.installed
MANAGE := $(VENV_PYTHON) example_site/manage.py
PIP := $(VENV_PYTHON) -m pip --disable-pip-version-check

.DEFAULT_GOAL := help

.PHONY: help install demo test lint bench docs messages migrations-check clean distclean screenshots

help:
	@echo "Targets:"
	@echo "  install           create $(VENV) with $(PYTHON) and install the package with [test,docs]"
	@echo "  demo              migrate the example portal, load demo content, run it on 127.0.0.1:8000 with a tasks worker"
	@echo "  test              run the test suite, one process per CPU (PYTEST_ARGS='-k foo', TEST_WORKERS=0)"
	@echo "  lint              ruff check ."
	@echo "  bench             benchmarks on PostgreSQL (BENCH_SIZE=smoke|small|medium|full; see bench/README.md)"
	@echo "  docs              build the documentation into docs/_build/html (warnings are errors)"
	@echo "  screenshots       run the browser tests (Chromium) and save the key screens into docs/images"
	@echo "  messages          update and compile the Vietnamese translations (needs gettext)"
	@echo "  migrations-check  fail if the models have changes without a migration"
	@echo "  clean             remove build artefacts and caches"
	@echo "  distclean         clean, and remove the virtualenvs and the demo database"

install: $(STAMP)

# Re-install whenever pyproject.toml changes (dependencies, extras, version source).
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "wagtail-policycomms needs Python >= 3.11; run: make PYTHON=python3.11 ...")'
	@if [ ! -x "$(VENV_PYTHON)" ]; then \
		echo "Creating $(VENV) with $(PYTHON)"; \
		$(PYTHON) -m venv $(VENV) || { \
			echo "Could not create a virtualenv. On Debian/Ubuntu: apt-get install python3-venv"; \
			exit 1; }; \
	fi
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e ".[test,docs]"
	@touch $@

demo: install
	$(MANAGE) migrate --noinput
	$(MANAGE) policycomms_demo
	PYTHON=$(VENV_PYTHON) example_site/run_demo.sh 127.0.0.1:8000

test: install
	$(VENV_PYTHON) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .

# PostgreSQL from BENCH_DATABASE_URL, or a local server (installed and started from
# Debian when missing and we are root), always on loopback; gunicorn and the Redis client
# from PyPI; Debian's redis-server when installed (or installable). Extra options:
# BENCH_ARGS='--fresh' rebuilds the data, BENCH_ARGS='--only exports' runs one group.
bench: install
	$(PIP) install -q gunicorn redis
	$(VENV_PYTHON) -m bench --size $(BENCH_SIZE) $(BENCH_ARGS)

docs: install
	$(VENV)/bin/sphinx-build -W --keep-going -b html docs docs/_build/html

# The end-to-end tests in Chromium (tests/browser, docs/testing.md), saving the screens the
# docs show into docs/images. Needs Debian's chromium (apt-get install chromium) and npm.
screenshots: install
	$(PIP) install -q -e ".[browser]"
	@test -f .ci/node/node_modules/axe-core/axe.min.js || npm install -q --prefix .ci/node axe-core
	POLICYCOMMS_BROWSER=1 POLICYCOMMS_SCREENSHOTS=1 $(VENV_PYTHON) -m pytest tests/browser $(PYTEST_ARGS)

# makemessages/compilemessages need GNU gettext (Debian: apt-get install gettext).
# django-admin configures minimal settings itself for these two commands, so no
# project settings are needed; DJANGO_SETTINGS_MODULE is unset so that a value
# left in the shell cannot interfere.
messages: install
	@command -v msgfmt >/dev/null 2>&1 || { \
		echo "GNU gettext is missing (Debian/Ubuntu: apt-get install gettext)"; exit 1; }
	mkdir -p wagtail_policycomms/locale
	cd wagtail_policycomms && env -u DJANGO_SETTINGS_MODULE $(abspath $(VENV))/bin/django-admin \
		makemessages -l vi --ignore "migrations/*"
	cd wagtail_policycomms && env -u DJANGO_SETTINGS_MODULE $(abspath $(VENV))/bin/django-admin \
		compilemessages -l vi

migrations-check: install
	$(MANAGE) makemigrations --check --dry-run

clean:
	rm -rf docs/_build build dist .pytest_cache .ruff_cache
	find . -path ./$(VENV) -prune -o -path './.venv-*' -prune -o \
		\( -name __pycache__ -o -name '*.egg-info' \) -type d -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) .venv-lowest .venv-newest example_site/db.sqlite3
