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
MCP_STAMP := $(VENV)/.installed-mcp
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: demo test lint typecheck unit reliability bench sandbox mcp-config docs clean

# $(call install,EXTRAS,WHAT[,PIP FLAGS]): pip install -e '.[EXTRAS]', one line per package it fetches, on stderr.
define install
	@echo "Installing $(2) into $(VENV) (first run only) ..." >&2
	@$(PIP) install $(3) -e '.[$(1)]' | { grep --line-buffered -E '^(Collecting|Installing|Successfully)' || true; } >&2 \
		|| { echo "pip install failed; run: $(PIP) install -e '.[$(1)]'" >&2; exit 1; }
endef
DEMO_EXTRAS := sandbox,graph
MCP_EXTRAS := sandbox,graph,mcp

$(PY):
	@echo "Creating $(VENV) with $(PYTHON) ..." >&2
	@$(PYTHON) -m venv $(VENV)

# The demo's dependencies only: no test, lint or notebook tools. A dev install also satisfies it (see below).
# --no-compile: Python compiles on first import only the modules the demo uses, instead of pip compiling every file
# of every package up front (measured: the first prompt about a third sooner).
$(DEMO_STAMP): pyproject.toml | $(PY)
	$(call install,$(DEMO_EXTRAS),the demo's dependencies (sandbox and graph extras),--no-compile)
	@touch $@

$(MCP_STAMP): pyproject.toml | $(PY)
	$(call install,$(MCP_EXTRAS),the MCP server's dependencies (sandbox, graph and mcp extras),--no-compile)
	@touch $@ $(DEMO_STAMP)

# Everything the tests, linters and notebooks need. It includes the other extras, so it refreshes their stamps too.
$(DEV_STAMP): pyproject.toml | $(PY)
	$(call install,dev,the dev dependencies (tests, lint, notebooks))
	@touch $@ $(DEMO_STAMP) $(MCP_STAMP)

demo: $(DEMO_STAMP)
	@$(PY) -m graphs.support_agent $(ARGS)

sandbox: $(DEMO_STAMP)
	@$(VENV)/bin/piggy-sandbox serve $(ARGS)

# An MCP host entry (Claude Desktop, Cursor) for this checkout: the server by absolute path, on the demo sandbox.
mcp-config: $(MCP_STAMP)
	@printf '{\n  "mcpServers": {\n    "piggy": {\n      "command": "%s",\n      "args": ["mcp", "--sandbox", "--read-only"]\n    }\n  }\n}\n' \
		"$(abspath $(VENV))/bin/piggy-agent-tools"

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
	PIGGY_RELIABILITY=full $(PY) -m pytest -q -p no:cacheprovider -m slow tests

bench: $(DEV_STAMP)
	$(PY) benchmarks/client_overhead.py

docs: $(DEV_STAMP)
	$(PY) scripts/generate_tool_docs.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
