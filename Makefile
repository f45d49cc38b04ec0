# banwu: `make run` (development, embedded SQLite + filesystem broker) and
# `make test` (the whole suite; PostgreSQL when DATABASE_URL points there).

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Development defaults; every one of them can be overridden from the environment.
export DEBUG ?= 1
PYTEST_ARGS ?=

.PHONY: install run test test-fast translations messages lint clean

install: $(VENV)/.installed

# Re-installs only when pyproject.toml changes: `make install` is idempotent.
$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -c 'import sys; assert sys.version_info[:2] == (3, 11), "banwu needs Python 3.11, found " + sys.version' 
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check ".[dev]"
	@rm -rf build banwu.egg-info
	@touch $@

translations: install
	$(PY) manage.py compile_translations

run: install translations
	@mkdir -p "$${BANWU_VAR_DIR:-var}/celery/queue" "$${BANWU_VAR_DIR:-var}/celery/processed" "$${BANWU_VAR_DIR:-var}/celery/control"
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	@echo
	@echo "  banwu is running at http://127.0.0.1:$(PORT)/"
	@echo "  Demo logins (password banwu-demo): admin, office, teacher, parent, counsellor, principal, maths"
	@echo "  Stop with Ctrl-C."
	@echo
	@trap 'trap - EXIT INT TERM; kill 0' EXIT INT TERM; \
	$(VENV)/bin/celery -A config worker --loglevel=INFO --concurrency=2 & \
	$(VENV)/bin/celery -A config beat --loglevel=INFO & \
	$(PY) manage.py runserver 0.0.0.0:$(PORT)

test: install translations
	$(VENV)/bin/pytest -n 2 --dist loadfile $(PYTEST_ARGS)

# Only the tests that need no browser, serially: quicker feedback while writing code.
test-fast: install
	$(VENV)/bin/pytest -q -x -m "not e2e" $(PYTEST_ARGS)

# Refresh the message catalogues after changing strings (needs GNU gettext).
messages: install
	$(PY) manage.py makemessages -l zh_Hans -l en --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=var
	$(PY) manage.py makemessages -d djangojs -l zh_Hans -l en --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=var --ignore=static/vendor

lint: install
	$(VENV)/bin/ruff check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) staticfiles build banwu.egg-info
