# fieldapp: `make run` to try it, `make test` to check it. `make help` lists every target.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := wsgi:app

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip "setuptools>=75"

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

.PHONY: install
install: $(VENV)/.installed compile ## Create .venv and install fieldapp with its test tools

.PHONY: run
run: install ## Set up the database, seed the demo and serve it on http://127.0.0.1:$(PORT)
	FIELDAPP_ENV=development $(BIN)/flask db upgrade
	FIELDAPP_ENV=development $(BIN)/flask demo
	FIELDAPP_ENV=development $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

.PHONY: test
test: install ## Run the whole suite on SQLite, and on PostgreSQL when one answers
	$(BIN)/python -m tests.run_suite

.PHONY: test-sqlite
test-sqlite: install ## Run the suite on SQLite only (one worker per CPU)
	$(BIN)/python -m pytest -n auto --dist loadfile --durations=20

.PHONY: lint
lint: install ## Check style, the usual bugs (ruff) and the layer order of the packages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

.PHONY: format
format: install ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

.PHONY: translations
translations: $(VENV)/.installed ## Extract strings, update every catalog, compile them
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs=".* .venv build" -o translations/messages.pot --no-location --sort-output --project fieldapp --copyright-holder "fieldapp" .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	$(MAKE) compile

.PHONY: compile
compile: $(VENV)/.installed ## Compile the translation catalogs
	$(BIN)/pybabel compile -d translations --statistics

.PHONY: migration
migration: install ## Make a new migration from model changes: make migration m="what changed"
	FIELDAPP_ENV=development $(BIN)/flask db migrate -m "$(m)"

.PHONY: bench
bench: install ## Run the benchmarks in bench/
	$(BIN)/python bench/run.py

.PHONY: clean
clean: ## Remove the virtualenv and generated files
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
	find translations -name '*.mo' -delete
