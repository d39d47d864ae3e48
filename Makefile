# One entry point: `make run` (set up, load real data, serve) and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python 3.12+ (Django 6 needs it). pyenv users get 3.12 from .python-version.
PYTHON ?= $(shell for p in python3.12 python3.13 python3.14 python3; do command -v $$p >/dev/null 2>&1 && echo $$p && break; done)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
ASSETS := static/vendor/.built
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages: a good open font for the PDF briefings; Chromium for the browser tests.
APT_RUN := fonts-noto-core
APT_TEST := chromium

export TRACKER_ALLOW_DEV_KEY ?= 1

.PHONY: help python-check setup run test lint format bench system-deps clean
run: APT_PACKAGES = $(APT_RUN)
test: APT_PACKAGES = $(APT_RUN) $(APT_TEST)

help:
	@echo "make run    set up everything, load the demo data and serve on http://$(HOST):$(PORT)"
	@echo "make test   run the linters and the whole test suite (DATABASE_URL selects PostgreSQL)"
	@echo "make bench  print page, import, PDF and map timings"

python-check:
	@if [ -z "$(PYTHON)" ]; then echo "No python3 found. Install Python 3.12 or newer." >&2; exit 1; fi
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' || { \
		echo "Python 3.12 or newer is needed (Django 6); '$(PYTHON)' is $$($(PYTHON) --version 2>&1)." >&2; \
		echo "Install 3.12 (e.g. 'pyenv install 3.12') or run: make PYTHON=/path/to/python3.12 ..." >&2; exit 1; }

$(STAMP): requirements.txt requirements-dev.txt | python-check
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null || { rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

$(ASSETS): node_modules/.package-lock.json $(wildcard static/scss/*.scss)
	rm -rf static/vendor && mkdir -p static/vendor/govuk
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/vendor/govuk/
	cp -r node_modules/govuk-frontend/dist/govuk/assets static/vendor/govuk/assets
	npx sass --no-source-map --style=compressed --load-path=node_modules static/scss/app.scss static/vendor/app.css
	@touch $@

setup: $(STAMP) $(ASSETS)

# Browser tests need Debian's Chromium, PDFs a good open font; installed when missing and we can.
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then echo "Installing$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else echo "Missing Debian packages:$$missing (run: sudo apt-get install$$missing); browser tests will be skipped."; fi; \
	fi

run: setup system-deps
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py load_demo
	DEBUG=1 $(PY) manage.py demo_users
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: setup system-deps lint
	$(PY) manage.py makemigrations --check --dry-run > /dev/null || { echo "Models changed without a migration: run manage.py makemigrations." >&2; exit 1; }
	$(PY) -m pytest $(PYTEST_ARGS)

bench: setup
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles
