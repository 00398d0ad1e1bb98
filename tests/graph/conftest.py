"""Graph fixtures: a toolkit on the shared sandbox, and a throwaway PostgreSQL for checkpointer tests.

PostgreSQL comes from PIGGY_TEST_POSTGRES_URL (``.ci/run`` starts one); otherwise a cluster is started here when
the binaries exist. In CI a missing PostgreSQL is a failure, never a skip.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator

import pytest

from piggy_agent_tools import PiggyClient
from piggy_agent_tools.toolkit import PiggyToolkit


@pytest.fixture
def staff_toolkit(client: PiggyClient) -> PiggyToolkit:
    return PiggyToolkit(client=client)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    url = os.environ.get("PIGGY_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    if not bins:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is required in CI: .ci/run must start it (scripts/ci_services.sh)")
        pytest.skip("PostgreSQL binaries not installed (scripts/ci_services.sh installs them)")
    pg_bin = bins[-1]
    workdir = tempfile.mkdtemp(prefix="piggy-pg-")
    run: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres")
        run = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    data = os.path.join(workdir, "data")
    subprocess.run(
        [*run, f"{pg_bin}/initdb", "-D", data, "-U", "postgres", "-A", "trust"], check=True, capture_output=True
    )
    options = f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        [*run, f"{pg_bin}/pg_ctl", "-D", data, "-l", f"{workdir}/log", "-w", "-o", options, "start"],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*run, f"{pg_bin}/pg_ctl", "-D", data, "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(workdir, ignore_errors=True)
