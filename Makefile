# Two set-up commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: run test venv migrate demo worker beat messages serve

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

migrate: venv
	mkdir -p var
	$(PY) manage.py migrate --noinput

# The demo's notices print the address the public reaches in their QR codes: this server's, unless
# JIFEN_PUBLIC_BASE_URL says otherwise (README "Public base URL").
demo run: export JIFEN_PUBLIC_BASE_URL ?= http://127.0.0.1:$(PORT)

demo: migrate
	@if [ ! -f var/.demo-loaded ] || [ -n "$$DATABASE_URL" ]; then $(PY) manage.py load_demo && touch var/.demo-loaded; fi

# The embedded default has no broker and no beat: `manage.py run_scheduler` runs the beat
# schedule (CELERY_BEAT_SCHEDULE: the timer sweep every minute, the deadline chase) in its own
# process beside runserver. It stops with runserver (Ctrl-C), and by itself if make is killed.
run: demo
	@echo "http://127.0.0.1:$(PORT)/ — with the scheduler sweeping due timers every minute (Ctrl-C stops both)"
	@$(PY) manage.py run_scheduler --parent $$$$ & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# JOBS test processes (pytest-xdist; default one per core); JOBS=0 runs in this process, for a debugger.
JOBS ?= auto
test: venv
	$(PY) -m pytest $(if $(filter 0,$(JOBS)),,-n $(JOBS) --dist loadgroup) $(PYTEST_ARGS)

# Production: a worker and one beat against the configured broker (CELERY_BROKER_URL). beat keeps
# its schedule state in var/celerybeat-schedule (CELERY_BEAT_SCHEDULE_FILENAME), outside the source.
# QUEUES=timers,ledger,notifications,default make worker: one worker per queue group (docs/deploy.md);
# unset, the worker consumes every queue.
worker: venv
	@test -n "$$CELERY_BROKER_URL" || { echo "make worker: set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0); without it tasks run in-process"; exit 2; }
	$(VENV)/bin/celery -A jifen worker -l info $(if $(QUEUES),-Q $(QUEUES))

beat: venv
	@test -n "$$CELERY_BROKER_URL" || { echo "make beat: set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0); on the embedded default make run already runs the scheduler"; exit 2; }
	mkdir -p var
	$(VENV)/bin/celery -A jifen beat -l info

# Production web server: gunicorn with deploy/gunicorn.conf.py (GUNICORN_* variables), static files
# collected into JIFEN_STATIC_ROOT (var/static) and served by whitenoise. Migrate once beforehand
# (docs/deploy.md "Upgrades"); PORT sets the address unless GUNICORN_BIND does.
serve: venv
	$(PY) manage.py collectstatic --noinput -v 0
	GUNICORN_BIND=$${GUNICORN_BIND:-127.0.0.1:$(PORT)} $(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py jifen.wsgi

# Translations: locale/*/LC_MESSAGES/django.po are the only source; refresh them from the code, then
# compile. The .mo files are committed, so `make run`/`make test` need no gettext; this target does
# (Debian: apt-get install gettext).
messages: venv
	$(PY) manage.py makemessages -l en -l zh_Hans
	$(PY) manage.py compilemessages -l en -l zh_Hans -i .venv
