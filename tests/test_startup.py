"""Start-up cost stays low: what each import loads (the timings are in ``benchmarks/import_time.py``)."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _loaded(statement: str, modules: list[str]) -> dict[str, bool]:
    probe = f"import sys\n{statement}\nprint(','.join(str(m in sys.modules) for m in {modules!r}))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    return dict(zip(modules, (v == "True" for v in out.split(",")), strict=True))


def test_the_bare_package_loads_only_the_errors() -> None:
    seen = _loaded("import piggy_agent_tools", ["httpx", "pydantic", "langchain_core", "piggy_agent_tools.client"])
    assert not any(seen.values()), seen


def test_the_sync_client_does_not_load_the_async_half() -> None:
    seen = _loaded("from piggy_agent_tools import PiggyClient", ["httpx", "piggy_agent_tools.client._async"])
    assert seen == {"httpx": True, "piggy_agent_tools.client._async": False}


TOOLKIT_IMPORTS = ["from piggy_agent_tools import PiggyToolkit", "import piggy_agent_tools.toolkit"]


@pytest.mark.parametrize("statement", TOOLKIT_IMPORTS)
def test_the_toolkit_import_loads_no_http_client(statement: str) -> None:
    seen = _loaded(statement, ["httpx", "piggy_agent_tools.client._sync", "piggy_agent_tools.tools"])
    assert seen == {"httpx": False, "piggy_agent_tools.client._sync": False, "piggy_agent_tools.tools": True}
