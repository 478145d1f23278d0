# mentormail: `make run` starts everything on embedded defaults; `make test` runs every test tier.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test test-fast lint bench bench-quick chaos emails demo clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## install: a virtualenv in .venv with mentormail and its development tools
install: $(STAMP)

## run: the whole service on embedded defaults (SQLite, its own Redis, mail to ./var/sent)
run: install
	$(BIN)/mentormail run

## test: system packages the tests need (root), then every tier against real servers
test: install
	scripts/install-system-deps.sh
	$(BIN)/python -m pytest -q

## test-fast: the unit tier only (no servers)
test-fast: install
	$(BIN)/python -m pytest -q tests/unit

## lint: ruff (rules and formatting), mypy and the import-linter layer contracts, all clean
lint: install
	$(BIN)/ruff check mentormail tests benchmarks scripts
	$(BIN)/ruff format --check mentormail tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

## emails: every email a person can receive (tests/journey.py), as .txt, .html and a PNG
##   from headless Chromium, in var/emails/ with an index.html (EMAILS_OUT=dir to change)
EMAILS_OUT ?= var/emails
emails: install
	scripts/install-system-deps.sh
	$(BIN)/python scripts/render_emails.py --out $(EMAILS_OUT)

## bench: every benchmarks/*.py with a bench() (benchmarks/run.py says how), one table of
##   ratios against baselines measured in the same run (~10 min on 2 cores, +6 for the worker rows)
bench: install
	scripts/install-system-deps.sh
	$(BIN)/python benchmarks/run.py

## bench-quick: the same at a tenth of the size, for a minute's check
bench-quick: install
	scripts/install-system-deps.sh
	$(BIN)/python benchmarks/run.py --scale 0.1

## demo: a whole program year in accelerated time (about a minute), simulated people
##   answering the mail they receive; prints what a coordinator sees (mentormail demo --help)
demo: install
	$(BIN)/mentormail demo

## chaos: the soak (benchmarks/faults.py, not part of `make test`): 5,000 replies and their
##   mail through two workers and the clock on PostgreSQL, real Redis and SMTP, for 10
##   minutes of Redis restarts and worker SIGKILLs, then up to ~14 minutes of draining; prints
##   lost / sent twice / stuck / wrong actions, exit 1 when a target is missed
##   (CHAOS_ARGS="--minutes 1 --replies 300 --database sqlite" for a short run)
CHAOS_ARGS ?=
chaos: install
	scripts/install-system-deps.sh
	$(BIN)/python benchmarks/faults.py $(CHAOS_ARGS)

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
