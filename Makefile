# Finsam uppföljning: set-up, run, test and CI helpers. `make run` and `make test` are the two
# commands most people need; see README.md.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Another interpreter gets its own venv: `make test PYTHON=python3.13 VENV=.venv313`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
PYTEST_ARGS ?=
# One test process per core (pytest-xdist); a file's tests stay in one process so that its
# module-wide demo data is loaded once. PYTEST_WORKERS=0 runs everything in this process.
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile
MANAGE := $(BIN)/python manage.py

.PHONY: help venv run test lint check-deploy migrations-check bench bench-last skarmbilder clean

help:
	@echo "make run               installera, läs in demodata och starta på http://127.0.0.1:8000"
	@echo "make test              kör testsviten (extra flaggor: PYTEST_ARGS='-k namn')"
	@echo "make lint              ruff check + ruff format --check + mypy"
	@echo "make check-deploy      manage.py check --deploy med produktionslika inställningar"
	@echo "make migrations-check  kontrollera att inga migreringar saknas"
	@echo "make bench             kör alla bench/*.py utom lasttestet"
	@echo "make bench-last        lasttestet: 50 användare mot gunicorn, Celery, PostgreSQL, Redis"
	@echo "make skarmbilder       ta nya skärmbilder av varje rolls startsida till docs/skarmbilder/"
	@echo "make clean             ta bort .venv, cacher och byggfiler"

venv: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml (or how it is installed) has changed since the last install.
$(STAMP): pyproject.toml Makefile | $(BIN)/python
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e ".[dev,prod]"
	touch $@

# The dev server runs on SQLite with DEBUG=1; without DEBUG the settings demand a SECRET_KEY.
run: export DEBUG = 1
run: venv
	$(MANAGE) migrate --noinput
	$(MANAGE) demodata
	@echo
	@echo "Öppna http://127.0.0.1:8000 och logga in som verksamhetsutvecklare, insatsansvarig,"
	@echo "forbundschef eller styrelse med lösenordet finsam-demo. Avsluta med Ctrl-C."
	@echo
	$(MANAGE) runserver 127.0.0.1:8000

# Browser tests must never pass silently: without Chromium they are deselected and the run
# fails at the end, unless FINSAM_SKIP_BROWSER=1 says that is intended.
test: venv
	@if [ -x "$(CHROMIUM)" ]; then \
		status=0; $(PYTEST) $(PYTEST_ARGS) || status=$$?; \
		skipped=0; \
	else \
		echo "Chromium saknas: installera med \`apt-get install chromium\` – webbläsartesterna körs inte" >&2; \
		status=0; $(PYTEST) -m "not browser" $(PYTEST_ARGS) || status=$$?; \
		skipped=1; \
	fi; \
	if [ "$$status" -eq 5 ]; then \
		echo "pytest hittade inga tester att köra – räknas som fel." >&2; \
	fi; \
	if [ "$$skipped" -eq 1 ]; then \
		echo "" >&2; \
		echo "OBS: webbläsartesterna (-m browser) kördes INTE eftersom $(CHROMIUM) saknas." >&2; \
		if [ "$${FINSAM_SKIP_BROWSER:-}" = "1" ]; then \
			echo "FINSAM_SKIP_BROWSER=1 är satt: resultatet gäller bara övriga tester." >&2; \
		else \
			echo "Installera med \`apt-get install chromium\`, eller sätt FINSAM_SKIP_BROWSER=1" \
				"för att medvetet hoppa över dem." >&2; \
			if [ "$$status" -eq 0 ]; then status=1; fi; \
		fi; \
	fi; \
	exit $$status

lint: venv
	@status=0; \
	$(BIN)/ruff check . || status=1; \
	$(BIN)/ruff format --check . || status=1; \
	$(BIN)/mypy || status=1; \
	exit $$status

# Production-like environment; the security overrides are cleared so the defaults are checked.
check-deploy: venv
	env -u SECURE_SSL_REDIRECT -u SECURE_HSTS_SECONDS -u BEHIND_PROXY \
		DJANGO_SETTINGS_MODULE=finsam.settings \
		DEBUG=0 \
		SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
		ALLOWED_HOSTS=finsam.example.se \
		DATABASE_URL="sqlite://:memory:" \
		$(MANAGE) check --deploy --fail-level WARNING

migrations-check: venv
	DEBUG=1 DATABASE_URL="sqlite://:memory:" $(MANAGE) makemigrations --check --dry-run

# The bench extra (locust, for bench/last.py) on top of the venv, again when pyproject.toml changes.
BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install -e ".[dev,prod,bench]"
	touch $@

# Every bench/*.py except the load test (bench-last: over 3 minutes with its set-up) and the
# locust users it drives.
bench: $(BENCH_STAMP)
	@shopt -s nullglob; scripts=(bench/*.py); \
	if [ $${#scripts[@]} -eq 0 ]; then echo "Inga skript i bench/ – inget att köra."; exit 0; fi; \
	for script in "$${scripts[@]}"; do \
		case "$$script" in bench/last.py|bench/locustfile.py) continue;; esac; \
		echo "==> $$script"; \
		PYTHONPATH="$(CURDIR)" $(BIN)/python "$$script"; \
	done

# The load test (bench/last.py): gunicorn, a Celery worker, PostgreSQL and Redis on this machine.
bench-last: $(BENCH_STAMP)
	PYTHONPATH="$(CURDIR)" $(BIN)/python bench/last.py

# Each role's start page at 1366 and 390 px on the demo data, for the README (docs/skarmbilder.py).
skarmbilder: venv
	@if [ ! -x "$(CHROMIUM)" ]; then echo "Chromium saknas: installera med \`apt-get install chromium\`" >&2; exit 1; fi
	CHROMIUM="$(CHROMIUM)" $(BIN)/python docs/skarmbilder.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache bench/out *.egg-info
	find . -name __pycache__ -type d -prune -not -path "./.git/*" -exec rm -rf {} +
