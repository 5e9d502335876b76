# Two commands on a fresh clone: `make run` and `make test`. Needs Python 3.11 and make.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
FLASK := $(BIN)/flask --app app
PORT ?= 5000

.PHONY: run test install translations translations-compile lint ci clean system-packages-app system-packages-tests

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) translations-compile

## The Debian packages of system-packages.txt: installed when missing if run as root, otherwise
## the command to run is printed (the app and its tests work without them).
system-packages-app:
	@bash tools/system-packages.sh app

system-packages-tests:
	@bash tools/system-packages.sh app tests

## Compile the message catalogs (.mo files are build output, not committed).
translations-compile: $(STAMP)
	$(BIN)/pybabel compile -d translations

## Extract new strings and merge them into every catalog (then translate the new entries).
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 --no-location --sort-output \
		--project "Data Space Training" -o translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i translations/messages.pot -d translations

## The web server and, beside it, the one scheduler process (stopped together with Ctrl+C).
run: install system-packages-app
	@$(BIN)/python -m app.site.preflight --port $(PORT)
	$(FLASK) db upgrade
	$(FLASK) seed demo
	trap 'trap - EXIT INT TERM; kill 0' EXIT INT TERM; $(FLASK) scheduler run & $(FLASK) run --host 127.0.0.1 --port $(PORT)

test: install system-packages-tests
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
