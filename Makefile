# Two set-up commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test venv migrate demo worker beat messages

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

migrate: venv
	mkdir -p var
	$(PY) manage.py migrate --noinput

demo: migrate
	@if [ ! -f var/.demo-loaded ] || [ -n "$$DATABASE_URL" ]; then $(PY) manage.py load_demo && touch var/.demo-loaded; fi

run: demo
	$(PY) manage.py runserver 127.0.0.1:8000

test: venv
	$(PY) -m pytest $(PYTEST_ARGS)

worker: venv
	$(VENV)/bin/celery -A jifen worker -l info

beat: venv
	$(VENV)/bin/celery -A jifen beat -l info

# Translations: locale/*/LC_MESSAGES/django.po are the only source; refresh them from the code, then
# compile. The .mo files are committed, so `make run`/`make test` need no gettext; this target does
# (Debian: apt-get install gettext).
messages: venv
	$(PY) manage.py makemessages -l en -l zh_Hans
	$(PY) manage.py compilemessages -l en -l zh_Hans -i .venv
