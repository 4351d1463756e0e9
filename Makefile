# CivicLearn: `make run` tries it out on one PC, `make test` runs the whole suite, `make production` is what a
# server runs (docs/deployment.md). Each sets up what it needs first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 2
INSTALLED := $(VENV)/.installed
# `make test` runs the suite in parallel, one process per core (pytest-xdist); TEST_WORKERS=0 runs it in one.
TEST_WORKERS ?= auto
# Ralph, the xAPI LRS the tests send statements to (tests/xapi/conftest.py), in a virtualenv of its own: it pins
# click<8.2.1, FastAPI, pydantic, uvicorn, python-jose, which must never reach the app's .venv (production runs it).
RALPH_VENV := .venv-ralph
RALPH_INSTALLED := $(RALPH_VENV)/.installed
PO := $(wildcard translations/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)

# The address printed in certificates' QR codes and links (and in the demo's hints): the one given in
# CIVICLEARN_PUBLIC_URL, else the address `make run` serves on, with a warning (a phone cannot open 127.0.0.1).
GIVEN_PUBLIC_URL := $(CIVICLEARN_PUBLIC_URL)
run demo: export CIVICLEARN_PUBLIC_URL = $(or $(GIVEN_PUBLIC_URL),http://$(HOST):$(PORT))

.PHONY: run demo production setup database test ralph bench load translations extract-messages check-courses clean

run: database ## try it on one PC: a new, empty database gets the demo (it says so); serve http://$(HOST):$(PORT)
	@$(FLASK) demo seed --if-new
	$(serve)

demo: database ## add the demo data (unless it was removed before: see `flask demo seed --again`), then serve like run
	@$(FLASK) demo seed
	$(serve)

production: database ## migrations, courses, gunicorn: what deploy/ runs, never any demo data
	BIND=$(HOST):$(PORT) WORKERS=$(WORKERS) deploy/serve

define serve
$(if $(GIVEN_PUBLIC_URL),,@echo "WARNING: certificates' QR codes and printed links point to $(CIVICLEARN_PUBLIC_URL):\
 phones cannot open that. Start with CIVICLEARN_PUBLIC_URL=http://<this PC's address>:$(PORT) (see README.md)")
@echo "Serving CivicLearn on http://$(HOST):$(PORT) - stop with Ctrl+C"
BIND=$(HOST):$(PORT) WORKERS=$(WORKERS) deploy/serve
endef

setup: database ## virtualenv, packages, translations, database, courses (never demo data)

database: $(INSTALLED) $(MO)
	deploy/prepare

$(INSTALLED): setup.cfg pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "CivicLearn needs Python 3.11 or newer (found: $$($(PYTHON) --version))."; exit 1; }
	@$(PYTHON) -m venv $(VENV) || { echo "Cannot create a virtualenv. On Debian: sudo apt-get install python3-venv"; exit 1; }
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

translations: $(MO) ## compile translations/*.po into .mo files

%.mo: %.po $(INSTALLED)
	$(BIN)/pybabel compile --statistics -i $< -o $@

extract-messages: $(INSTALLED) ## update messages.pot and both catalogues after changing UI text
	$(BIN)/pybabel extract -F translations/babel.cfg -k _l -o translations/messages.pot --no-location --sort-output --ignore-dirs '.* __pycache__' .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete --width 100
	$(BIN)/python translations/copy_english.py
	@echo "Now translate the new entries of translations/th/LC_MESSAGES/messages.po (make test fails until you do)."

test: $(INSTALLED) $(MO) $(RALPH_INSTALLED) ## the whole suite: SQLite, plus PostgreSQL when CIVICLEARN_TEST_DATABASE_URL is set
	@test -x /usr/bin/chromium || echo "NOTE: /usr/bin/chromium is missing, so browser tests are skipped. Install it with: sudo apt-get install chromium"
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

ralph: $(RALPH_INSTALLED) ## Ralph, the xAPI LRS of the tests, in its own virtualenv .venv-ralph

$(RALPH_INSTALLED): Makefile
	@$(PYTHON) -m venv $(RALPH_VENV) || { echo "Cannot create a virtualenv. On Debian: sudo apt-get install python3-venv"; exit 1; }
	$(RALPH_VENV)/bin/pip install --quiet 'ralph-malph[cli,lrs]==5.1.0' 'requests==2.34.2'
	@touch $@

check-courses: $(INSTALLED) ## check the course files and print every problem as path:line: message
	$(FLASK) courses check

bench: $(INSTALLED) $(MO) ## print the speed and size figures (see benchmarks/)
	$(BIN)/python benchmarks/lesson_page.py
	$(BIN)/python benchmarks/load_courses.py
	$(BIN)/python benchmarks/sign_in.py
	$(BIN)/python benchmarks/lti_launch.py
	$(BIN)/python benchmarks/roster_import.py
	$(BIN)/python benchmarks/learner_cards.py
	$(BIN)/python benchmarks/certificates.py
	$(BIN)/python benchmarks/dashboard.py
	$(BIN)/python benchmarks/hello_ratio.py

load: $(INSTALLED) $(MO) ## a load test: LEARNERS kiosks for MINUTES on the loopback (see benchmarks/load.py)
	$(BIN)/python benchmarks/load.py --learners $(or $(LEARNERS),50) --minutes $(or $(MINUTES),1)

clean:
	rm -rf $(VENV) $(RALPH_VENV) *.egg-info translations/*/LC_MESSAGES/*.mo
