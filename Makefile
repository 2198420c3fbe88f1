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

.PHONY: run test lint format assets install migrate demo worker wordpress bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

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

# The whole suite on SQLite, then on PostgreSQL (a fresh database per run), both with real Redis.
test: install assets lint
	TEST_DATABASE=sqlite $(VENV)/bin/pytest -q $(PYTEST_ARGS)
	TEST_DATABASE=postgres $(VENV)/bin/pytest -q $(PYTEST_ARGS)

# A real local WordPress on http://127.0.0.1:8089 for publishing (Debian's package, PHP's built-in server).
wordpress:
	scripts/wordpress-dev.sh

# Benchmarks (bench/README.md): a fresh PostgreSQL database per run, gunicorn + wrk on 127.0.0.1;
# writes bench/results.md. BENCH_ARGS="--scale 100000" etc.
bench: install assets
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules $(VENDOR) .pytest_cache .ruff_cache
