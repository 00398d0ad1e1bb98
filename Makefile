# `make demo` and `make test` work on a fresh clone with only python3: each builds .venv when missing or stale.
# `make demo` installs only what the demo needs (the sandbox and graph extras); `make test` and the other dev targets
# install the dev extra on top. Install output goes to stderr, so `make -s demo ARGS=--jsonl` prints JSON lines only.
PYTHON ?= python3
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
DEMO_STAMP := $(VENV)/.installed-demo
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: demo test lint typecheck unit reliability bench sandbox docs clean

$(PY):
	@echo "Creating $(VENV) with $(PYTHON) ..." >&2
	@$(PYTHON) -m venv $(VENV)

# The demo's dependencies only: no test, lint or notebook tools. A dev install also satisfies it (see below).
$(DEMO_STAMP): pyproject.toml | $(PY)
	@echo "Installing the demo's dependencies into $(VENV) (sandbox and graph extras; first run only) ..." >&2
	@$(PIP) install --progress-bar on -e '.[sandbox,graph]' | grep --line-buffered -E '^(Collecting|Installing|Successfully)' >&2 \
		|| { echo "pip install failed; run: $(PIP) install -e '.[sandbox,graph]'" >&2; exit 1; }
	@touch $@

# Everything the tests, linters and notebooks need. It includes the demo extras, so it refreshes the demo stamp too.
$(DEV_STAMP): pyproject.toml | $(PY)
	@echo "Installing the dev dependencies into $(VENV) (tests, lint, notebooks; first run only) ..." >&2
	@$(PIP) install --progress-bar on -e '.[dev]' | grep --line-buffered -E '^(Collecting|Installing|Successfully)' >&2 \
		|| { echo "pip install failed; run: $(PIP) install -e '.[dev]'" >&2; exit 1; }
	@touch $@ $(DEMO_STAMP)

demo: $(DEMO_STAMP)
	@$(PY) -m graphs.support_agent $(ARGS)

sandbox: $(DEMO_STAMP)
	@$(VENV)/bin/piggy-sandbox serve $(ARGS)

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check piggy_agent_tools graphs tests benchmarks scripts
	$(VENV)/bin/ruff format --check piggy_agent_tools graphs tests benchmarks scripts
	$(PY) scripts/generate_async_resources.py --check

typecheck: $(DEV_STAMP)
	$(VENV)/bin/mypy piggy_agent_tools

unit: $(DEV_STAMP)
	$(PY) -m pytest -q -p no:cacheprovider -m "not slow" --nbmake tests notebooks $(PYTEST_ARGS)

test: lint typecheck unit

reliability: $(DEV_STAMP)
	PIGGY_RELIABILITY=full $(PY) -m pytest -q -m slow tests/reliability

bench: $(DEV_STAMP)
	$(PY) benchmarks/client_overhead.py

docs: $(DEV_STAMP)
	$(PY) scripts/generate_tool_docs.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
