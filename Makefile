# Fresh machine: `make run` (app with demo data) or `make test` (whole suite).
# Every target installs what it needs and is safe to re-run.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
BUN := .tools/node_modules/.bin/bun
PORT ?= 3000
# Links in mails and the local Stripe webhook point at the app's own port.
export PUBLIC_URL ?= http://localhost:$(PORT)
export PATH := $(CURDIR)/.tools/node_modules/.bin:$(CURDIR)/$(VENV)/bin:$(PATH)
export REFLEX_USE_SYSTEM_BUN := 1
export TELEMETRY_ENABLED := false

.PHONY: setup setup-test run run-scaled test test-fast lint chromium migrate seed bench

# Production needs requirements.lock only; `make run` adds the local stand-ins (mail sink,
# local Stripe), `make test` also the test tools. See the extras in pyproject.toml.
setup: $(VENV)/.installed-local $(BUN)
setup-test: setup $(VENV)/.installed-test

$(VENV)/.installed-local: pyproject.toml requirements.lock requirements-local.lock
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.lock -r requirements-local.lock
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed-local requirements-test.lock
	$(PY) -m pip install -q -r requirements-test.lock
	touch $@

# Reflex 0.10 wants Node 22 or its own bun download; bun from the npm registry works offline.
$(BUN):
	npm install --prefix .tools --no-audit --no-fund bun@1.4.5

# Debian's Chromium for browser tests (Playwright cannot download browsers here), and
# CJK fonts so screenshots show Chinese.
chromium:
	@if ! command -v chromium >/dev/null || ! fc-list :lang=zh | grep -q .; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; \
	fi

# The default SQLite file lives in var/ (HEYON_VAR_DIR), which a fresh clone lacks.
migrate: setup
	mkdir -p "$${HEYON_VAR_DIR:-var}"
	$(VENV)/bin/reflex db migrate

seed: migrate
	$(PY) -m heyon_app.seed --demo

# The mail sink, the local Stripe, the app and the worker run together in this terminal and all stop
# on Ctrl-C (or when one of them ends); a port already taken stops the start, named.
run: setup seed
	@echo "Heyon: http://localhost:$(PORT)  (mail in var/mail/, SMS in var/sms/)"
	$(PY) -m heyon_app.devtools.services --app-port $(PORT) -- \
		$(VENV)/bin/reflex run --env prod --single-port --frontend-port $(PORT)

# Scaled out as an operator runs it: PostgreSQL, Reflex's Redis state manager, BACKENDS
# backend worker processes behind one port (a round-robin balancer; nginx in deploy/), the
# jobs worker beside them. The frontend is compiled once and served by every worker.
# Restart any one worker (kill its pid, printed at start): it is started again, the others
# serve its tabs meanwhile, logins and checkouts carry on from Redis and PostgreSQL.
SCALED_DB_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/heyon
SCALED_REDIS_URL ?= redis://127.0.0.1:6379
BACKENDS ?= 2
SCALED_FIRST_BACKEND_PORT ?= 8101
run-scaled: export DB_URL := $(SCALED_DB_URL)
run-scaled: export REFLEX_DB_URL := $(SCALED_DB_URL)
run-scaled: export REDIS_URL := $(SCALED_REDIS_URL)
# The compiled frontend connects back to the port it is served from (the balancer's).
run-scaled: export REFLEX_API_URL := http://localhost:$(PORT)
run-scaled: setup
	@redis-cli -u "$$REDIS_URL" ping >/dev/null 2>&1 || { echo "Redis is not answering at $$REDIS_URL (set SCALED_REDIS_URL)"; exit 1; }
	$(PY) -m heyon_app.devtools.pg_database
	mkdir -p "$${HEYON_VAR_DIR:-var}"
	$(VENV)/bin/reflex db migrate
	$(PY) -m heyon_app.seed --demo
	$(VENV)/bin/reflex export --frontend-only --no-zip --env prod
	@echo "Heyon scaled out: http://localhost:$(PORT)  ($(BACKENDS) backend workers, PostgreSQL, Redis)"
	$(PY) -m heyon_app.devtools.services --app-port $(PORT) --backends $(BACKENDS) \
		--first-backend-port $(SCALED_FIRST_BACKEND_PORT)

lint: setup-test
	$(VENV)/bin/ruff check heyon_app tests bench
	$(VENV)/bin/ruff format --check heyon_app tests bench

# Two passes side by side (tests/both_passes.py): everything on SQLite and Reflex's
# in-memory state (the demo set-up), and the integration and browser suites again on
# PostgreSQL + Redis (HEYON_TEST_BACKEND=pg-redis: a fresh database and a redis-server of the
# run's own), in a copy of the work tree so that each pass builds and serves its own
# frontend; its browser flows at 360 px only. Unit tests (their own SQLite files, no app
# state) run once.
test: setup-test chromium
	$(PY) -m tests.both_passes

bench: setup
	@for b in $$(ls bench/*.py | grep -v "/_"); do echo "== $$b"; PYTHONPATH=. $(PY) $$b || exit 1; done
