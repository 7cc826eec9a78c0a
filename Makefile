# Two commands do all the set-up: `make serve` runs the app, `make test` runs every test.
# Both create .venv with the locked dependencies first (installing uv into it if needed).

PYTHON ?= python3
VENV := .venv
UV := $(VENV)/bin/uv
SYNCED := $(VENV)/.synced

.PHONY: serve test lint format lock clean

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check "uv>=0.5"

$(SYNCED): $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --quiet
	@touch $@

serve: $(SYNCED)  ## Run the web app at http://127.0.0.1:8000 (opens your browser)
	$(VENV)/bin/sirelief serve

test: $(SYNCED)  ## Lint, then run the whole test suite
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest

lint: $(SYNCED)
	$(VENV)/bin/ruff check .

format: $(SYNCED)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

lock: $(UV)  ## Re-resolve dependencies after editing pyproject.toml
	$(UV) lock

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
