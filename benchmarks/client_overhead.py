"""The client's own cost: ``client.contacts.get`` vs a raw ``httpx.Client.get`` of the same URL and headers.

Part 1, in-process sandbox over HTTP: both medians and their ratio (goal <= 1.10). Part 2, on one
``httpx.MockTransport`` returning a canned contact: the client's overhead per call in µs (goal <= 150 µs).
Run: ``.venv/bin/python benchmarks/client_overhead.py`` (not collected by pytest).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import interleaved_medians, machine
from piggy_agent_tools import PiggyClient
from piggy_agent_tools.client._core import API_PREFIX, USER_AGENT
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids

REPEAT = 2000
WARMUP = 200
MOCK_REPEAT = 20000


def _headers(api_key: str) -> dict[str, str]:
    """The headers the client sends, so the raw call does the same HTTP work."""
    return {"Accept": "application/json", "User-Agent": USER_AGENT, "Authorization": f"Bearer {api_key}"}


def over_http() -> tuple[float, float, bytes]:
    """Medians (µs) of the client call and the raw call against a real in-process sandbox (interleaved), and
    Jane's answer body, reused as the canned body of part 2."""
    with (
        Sandbox.start(seed="demo", rate_limit=10**9) as sb,
        PiggyClient(api_key=sb.api_key, base_url=sb.base_url) as client,
        httpx.Client() as raw,
    ):
        url = f"{sb.base_url}{API_PREFIX}/contacts/{ids.JANE}"
        headers = _headers(sb.api_key)

        def raw_get() -> object:
            return raw.get(url, headers=headers).json()

        for _ in range(WARMUP):
            client.contacts.get(ids.JANE)
            raw_get()
        client_median, raw_median = interleaved_medians(lambda: client.contacts.get(ids.JANE), raw_get, REPEAT)
        body = raw.get(url, headers=headers).content
    return client_median, raw_median, body


def on_mock_transport(body: bytes) -> tuple[float, float]:
    """Medians (µs) of the client call and the raw call on one MockTransport: no network, no server."""
    json.loads(body)  # a real contact answer
    transport = httpx.MockTransport(
        lambda request: httpx.Response(200, content=body, headers={"Content-Type": "application/json"})
    )
    base = "http://piggy.mock"
    url = f"{base}{API_PREFIX}/contacts/{ids.JANE}"
    headers = _headers("bench-key")
    with (
        httpx.Client(transport=transport) as raw,
        PiggyClient(api_key="bench-key", base_url=base, http_client=httpx.Client(transport=transport)) as client,
    ):

        def raw_get() -> object:
            return raw.get(url, headers=headers).json()

        for _ in range(WARMUP * 5):
            client.contacts.get(ids.JANE)
            raw_get()
        return interleaved_medians(lambda: client.contacts.get(ids.JANE), raw_get, MOCK_REPEAT)


def main() -> None:
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    client_http, raw_http, body = over_http()
    client_mock, raw_mock = on_mock_transport(body)
    overhead = client_mock - raw_mock
    print(f"machine: {machine()}")
    print(f"{'measurement':44} {'median':>10}")
    print(f"{'-' * 44} {'-' * 10}")
    print(f"{'sandbox over HTTP: client.contacts.get':44} {client_http:8.0f} µs")
    print(f"{'sandbox over HTTP: raw httpx.Client.get':44} {raw_http:8.0f} µs")
    print(f"{'ratio client/raw (goal <= 1.10)':44} {client_http / raw_http:10.3f}")
    print(f"{'MockTransport: client.contacts.get':44} {client_mock:8.1f} µs")
    print(f"{'MockTransport: raw httpx.Client.get':44} {raw_mock:8.1f} µs")
    print(f"{'client overhead per call (goal <= 150 µs)':44} {overhead:8.1f} µs")


if __name__ == "__main__":
    main()
