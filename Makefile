# Two commands on a machine with only python3: `make demo` and `make test`.
# Each creates .venv and installs what it needs the first time.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint format check bench soak clean calendar-clients sync-tools

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/rapport demo

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests migrations bench
	$(BIN)/ruff format --check src tests migrations bench
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix src tests migrations bench
	$(BIN)/ruff format src tests migrations bench

check: lint test

# khal and todoman in their own virtualenv (.venv-cal); the tests create it too.
calendar-clients: $(STAMP)
	$(BIN)/python tests/calendar/calendar_clients.py

# Radicale, vdirsyncer and caldav in their own virtualenv (.venv-sync); the tests create it too.
sync-tools: $(STAMP)
	$(BIN)/python tests/sync/sync_tools.py

# The crash, concurrency and property tests of tests/safety, run long: many
# more kills, writers for longer, thousands of inputs (see tests/safety).
# Their files go to memory (/dev/shm) where there is one: most of the soak's
# time was the disk flushing thousands of throwaway databases, and no test
# here checks what a power cut leaves (a kill -9 leaves the same on either).
# Two rounds: first the tests that start processes, kill them or race them
# against a clock, with the machine to themselves as before; then the
# property tests (test_fuzz_*: thousands of inputs, one process, no clock),
# which spread over every core (pytest-xdist): the same inputs and checks,
# in half the time on two cores.
SOAK_TMP ?= /dev/shm
SOAK_WORKERS ?= auto
soak: $(STAMP)
	@folder=$$(mktemp -d "$(SOAK_TMP)/rapport-soak.XXXXXX" 2>/dev/null || mktemp -d); \
	RAPPORT_SOAK=1 $(BIN)/python -m pytest tests/safety --ignore-glob='*/test_fuzz_*' \
		--basetemp="$$folder/processes" $(PYTEST_ARGS); \
	first=$$?; \
	RAPPORT_SOAK=1 $(BIN)/python -m pytest tests/safety/test_fuzz_*.py -n $(SOAK_WORKERS) \
		--basetemp="$$folder/properties" $(PYTEST_ARGS); \
	second=$$?; rm -rf "$$folder"; \
	if [ $$first -ne 0 ]; then exit $$first; fi; exit $$second

# The benchmark suite (bench/RESULTS.md); never part of `make test`.
# BENCH_ARGS='--sizes 300,3000' for a quicker run, '--no-peers' to skip khard/todoman.
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .venv-cal .venv-sync build dist .pytest_cache .mypy_cache .ruff_cache
