# CivicLearn: `make run` serves the app, `make test` runs the whole suite. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 2
INSTALLED := $(VENV)/.installed
PO := $(wildcard translations/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)

.PHONY: run setup database test bench translations extract-messages check-courses clean

run: setup ## set everything up and serve http://$(HOST):$(PORT) with gunicorn
	@echo "Serving CivicLearn on http://$(HOST):$(PORT) - stop with Ctrl+C"
	$(BIN)/gunicorn --workers $(WORKERS) --threads 4 --bind $(HOST):$(PORT) \
		--access-logfile - --forwarded-allow-ips 127.0.0.1 wsgi:app

setup: $(INSTALLED) $(MO) database ## virtualenv, packages, translations, database, courses, demo data
	@$(FLASK) demo seed

database: $(INSTALLED) $(MO)
	@mkdir -p instance
	$(FLASK) db upgrade
	@# A course with problems is not loaded, but must not keep the centre's app from starting.
	$(FLASK) courses load || echo "Some courses were not loaded (problems above): the app serves their last good version."

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
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	$(BIN)/python translations/copy_english.py
	@echo "Now translate the new entries of translations/th/LC_MESSAGES/messages.po (make test fails until you do)."

test: $(INSTALLED) $(MO) ## the whole suite: SQLite, plus PostgreSQL when CIVICLEARN_TEST_DATABASE_URL is set
	@test -x /usr/bin/chromium || echo "NOTE: /usr/bin/chromium is missing, so browser tests are skipped. Install it with: sudo apt-get install chromium"
	$(BIN)/python -m pytest $(PYTEST_ARGS)

check-courses: $(INSTALLED) ## check the course files and print every problem as path:line: message
	$(FLASK) courses check

bench: $(INSTALLED) $(MO) ## print the speed and size figures (see benchmarks/)
	$(BIN)/python benchmarks/lesson_page.py
	$(BIN)/python benchmarks/load_courses.py
	$(BIN)/python benchmarks/sign_in.py
	$(BIN)/python benchmarks/roster_import.py
	$(BIN)/python benchmarks/learner_cards.py
	$(BIN)/python benchmarks/certificates.py
	$(BIN)/python benchmarks/dashboard.py

clean:
	rm -rf $(VENV) *.egg-info translations/*/LC_MESSAGES/*.mo
