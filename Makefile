# Set-up and the two everyday commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXAMPLE := scenarios/examples/midlands_placement_round.yaml
RUN_DIR := var/runs/midlands_placement_round

.PHONY: run test install browser postgres serve lint clean bench bench-full

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/placement run $(EXAMPLE) --out $(RUN_DIR)
	$(BIN)/placement verify $(RUN_DIR)/problem.json $(RUN_DIR)/solution.json
	@echo "report: $(RUN_DIR)/report.html (open it in a browser)"

# Debian's Chromium and its driver, for the report's browser tests; they skip without them.
browser:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq chromium chromium-driver >/dev/null) \
		|| echo "note: could not install chromium; the browser tests will skip"; \
	else echo "note: chromium needs root and apt-get to install; the browser tests will skip"; fi

# PostgreSQL on loopback (Debian's packages) for the store tests; they skip without it.
postgres:
	@sh tools/postgres-for-tests.sh

test: $(STAMP) browser postgres
	$(BIN)/python -m pytest -q

serve: $(STAMP)
	$(BIN)/placement serve

# The engine against exact and peer methods: RESULTS.md, plots and a JSON record in benchmarks/.
bench: $(STAMP)
	$(BIN)/python -m benchmarks --sizes xs s m --repeats 3

bench-full: $(STAMP)
	$(BIN)/python -m benchmarks --sizes xs s m l xl --repeats 3

lint: $(STAMP)
	$(BIN)/ruff check models matching scenarios api benchmarks tests

clean:
	rm -rf $(VENV) var
