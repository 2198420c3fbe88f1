# Writer: `make run` to try it, `make test` to check it.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
VENDOR := writer_app/static/vendor
HOST ?= 127.0.0.1
PORT ?= 5000
# WordPress calls reach public addresses only; the local WordPress (make wordpress) is allowed here.
WORDPRESS_ALLOW_PRIVATE_HOSTS ?= 127.0.0.1:8089

.PHONY: run test lint format assets install lock migrate demo worker wordpress bench clean

# Exact versions from the lock (what CI tested), then Writer itself without resolving anything again.
$(VENV)/.installed: pyproject.toml requirements-dev.lock
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

install: $(VENV)/.installed

# Resolve the ranges in pyproject.toml afresh: requirements.lock (the app, for production) and
# requirements-dev.lock (the app and the dev extra, for make install and CI); the app's pins are the
# tested ones. Commit both.
# LOCK_ARGS= keeps the current pins and only adds what is new.
LOCK_ARGS ?= --upgrade
lock:
	test -x $(VENV)/bin/uv || $(MAKE) install
	$(VENV)/bin/uv pip compile --quiet $(LOCK_ARGS) --python-version 3.11 --extra dev pyproject.toml -o requirements-dev.lock
	$(VENV)/bin/uv pip compile --quiet --python-version 3.11 -c requirements-dev.lock pyproject.toml -o requirements.lock

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR)/.built: node_modules/.package-lock.json
	mkdir -p $(VENDOR)/htmx $(VENDOR)/pico $(VENDOR)/quill
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/@picocss/pico/css/pico.min.css $(VENDOR)/pico/
	cp node_modules/quill/dist/quill.js node_modules/quill/dist/quill.snow.css $(VENDOR)/quill/
	touch $@

assets: $(VENDOR)/.built

migrate: install
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) writer demo

run: install assets demo
	@echo
	@echo "Writer is starting on http://$(HOST):$(PORT)/"
	@echo "Demo login: demo@example.com / demo-password"
	@echo
	WORDPRESS_ALLOW_PRIVATE_HOSTS='$(WORDPRESS_ALLOW_PRIVATE_HOSTS)' $(FLASK) run --host $(HOST) --port $(PORT)

worker: install
	WORDPRESS_ALLOW_PRIVATE_HOSTS='$(WORDPRESS_ALLOW_PRIVATE_HOSTS)' $(FLASK) writer worker

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The whole suite on SQLite and on PostgreSQL (a fresh database per run), side by side, both with
# real Redis (scripts/test-suites.sh).
test: install assets lint
	scripts/test-suites.sh $(PYTEST_ARGS)

# A real local WordPress on http://127.0.0.1:8089 for publishing (Debian's package, PHP's built-in server).
wordpress:
	scripts/wordpress-dev.sh

# Benchmarks (bench/README.md): a fresh PostgreSQL database per run, gunicorn + wrk on 127.0.0.1;
# writes bench/results.md. BENCH_ARGS="--scale 100000" etc.
bench: install assets
	scripts/bench-tools.sh
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules $(VENDOR) .pytest_cache .ruff_cache
