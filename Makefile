# charter-service: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app charter_service
# make run and its set-up are a development machine: generated keys, in-process jobs and limits.
DEVELOPMENT := ENV_NAME=$${ENV_NAME:-development}
STAMP := $(VENV)/.installed

.PHONY: run test test-sqlite test-postgresql test-cluster bench screenshots setup db lint translations clean

$(STAMP): pyproject.toml constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)
	$(BIN)/pybabel compile -d charter_service/translations

db: setup
	$(DEVELOPMENT) $(FLASK) db upgrade
	$(DEVELOPMENT) $(FLASK) demo load --if-empty

run: db
	$(DEVELOPMENT) $(FLASK) run --host 127.0.0.1 --port 5000

# One worker per CPU, each with its own database (a SQLite file, or its own throwaway PostgreSQL);
# a module's tests that share a built world go to one worker (tests/conftest.py). The browser
# tests (Chromium, on SQLite) are a run of their own, after the SQLite one; the PostgreSQL run
# leaves them out, as it does the tests that use no database (tests/conftest.py says why).
PYTEST := $(BIN)/pytest -q -p no:cacheprovider -n auto --dist loadgroup --durations=15

# The bench's smoke run (tests/test_bench.py, marked sqlite_run_only) makes databases of its own
# and waits on gunicorn and wrk: it runs once, alone, after the two database runs.
# The test runs write bytecode even where the environment says not to (PYTHONDONTWRITEBYTECODE=1):
# each worker of each run otherwise compiles the package and rewrites and compiles every test
# module's asserts again (~4 s of CPU per worker); with the caches, only the first run does.
test test-sqlite test-postgresql test-cluster: export PYTHONDONTWRITEBYTECODE :=

test: setup
	$(PYTEST) --db sqlite -m "not sqlite_run_only and not browser"
	$(PYTEST) --db sqlite -m browser
	$(PYTEST) --db postgresql
	$(BIN)/pytest -q -p no:cacheprovider --db sqlite -m sqlite_run_only

test-sqlite: setup
	$(PYTEST) --db sqlite

test-postgresql: setup
	$(PYTEST) --db postgresql

# Two gunicorn nodes, an RQ worker, PostgreSQL and Redis on this machine (tests/cluster/), in
# one process and in order: the tests share the processes and build on one another's state.
test-cluster: setup
	$(BIN)/pytest -q -p no:cacheprovider -m cluster tests/cluster

bench: setup
	$(BIN)/python -m bench

# Full-page PNGs of what the browser tests visit, under screenshots/, for people to look at.
screenshots: setup
	SCREENSHOTS=1 $(BIN)/pytest -q -p no:cacheprovider --db sqlite tests/browser

lint: setup
	$(BIN)/ruff check charter_service tests bench

translations: setup
	$(BIN)/pybabel extract -F babel.cfg -k _l -o charter_service/translations/messages.pot .
	$(BIN)/pybabel update --no-wrap -i charter_service/translations/messages.pot -d charter_service/translations -l en --no-fuzzy-matching
	$(BIN)/python -m charter_service.source_catalogue
	$(BIN)/pybabel compile -d charter_service/translations

clean:
	rm -rf $(VENV) instance .pytest_cache
