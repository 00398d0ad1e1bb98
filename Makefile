# `make demo` and `make test` work on a fresh clone with only python3: each builds .venv when missing or stale.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit reliability bench sandbox docs clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(PY) -m graphs.support_agent $(ARGS)

sandbox: $(STAMP)
	$(VENV)/bin/piggy-sandbox serve

lint: $(STAMP)
	$(VENV)/bin/ruff check piggy_agent_tools graphs tests benchmarks scripts
	$(VENV)/bin/ruff format --check piggy_agent_tools graphs tests benchmarks scripts
	$(PY) scripts/generate_async_resources.py --check

typecheck: $(STAMP)
	$(VENV)/bin/mypy piggy_agent_tools

unit: $(STAMP)
	$(PY) -m pytest -q -p no:cacheprovider -m "not slow" --nbmake tests notebooks $(PYTEST_ARGS)

test: lint typecheck unit

reliability: $(STAMP)
	PIGGY_RELIABILITY=full $(PY) -m pytest -q -m slow tests/reliability

bench: $(STAMP)
	$(PY) benchmarks/client_overhead.py

docs: $(STAMP)
	$(PY) scripts/generate_tool_docs.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
