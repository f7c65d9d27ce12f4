# Ruang BK. `make run` serves the demo school; `make test` runs the whole suite.
# Both set themselves up on a fresh machine that has Python >= 3.11 and make.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format messages migrate clean bench

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Ruang BK needs Python 3.11 or newer; set PYTHON=python3.x")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet '.[dev]'
	@touch $(STAMP)

migrate: $(STAMP)
	$(PY) manage.py migrate --no-input -v 0

run: migrate
	$(PY) manage.py seed_demo
	@echo "Serving http://$(HOST):$(PORT)/ — stop with Ctrl+C"
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: lint
	DJANGO_CONN_MAX_AGE=0 $(PY) -m pytest $(PYTEST_ARGS)

# Needs GNU gettext (Debian: gettext). The compiled catalogues are committed, so running the
# application never needs it.
messages: $(STAMP)
	$(PY) manage.py makemessages --locale id --no-obsolete --add-location file --ignore '.venv/*' --ignore 'staticfiles/*'
	$(PY) manage.py compilemessages --locale id --ignore '.venv/*'

# The pages under load as in production (bench/run.py): needs DATABASE_URL naming a PostgreSQL
# database; loads the demo data into it if it has no student. Takes about five minutes.
BENCH_USERS ?= 15
BENCH_SPAWN_RATE ?= 5
BENCH_RUN_TIME ?= 2m
BENCH_PORT ?= 8170
BENCH_SEED_ARGS ?=
BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install --quiet '.[dev,bench]'
	@touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	@case "$(DATABASE_URL)" in postgres://*|postgresql://*|pgsql://*) ;; *) \
	  echo "make bench needs DATABASE_URL naming a PostgreSQL database, for example:"; \
	  echo "  createdb -h 127.0.0.1 -U postgres bench"; \
	  echo "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench make bench"; \
	  exit 2;; esac
	$(PY) bench/run.py --users $(BENCH_USERS) --spawn-rate $(BENCH_SPAWN_RATE) \
	  --run-time $(BENCH_RUN_TIME) --port $(BENCH_PORT) --seed-args "$(BENCH_SEED_ARGS)"

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
