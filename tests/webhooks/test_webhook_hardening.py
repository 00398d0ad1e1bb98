"""The webhook receiver under attack: floods, absurd nesting, replays. The receiver runs in its own process
(``_guarded_receiver.py``) on 127.0.0.1 so its memory is measured from ``/proc/<pid>/status``, not guessed."""

from __future__ import annotations

import json
import select
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from _guarded_receiver import SECRET

from piggy_agent_tools.sandbox.server import free_port
from piggy_agent_tools.webhooks import InMemoryReplayGuard, SQLiteReplayGuard, compute_signature, delivery_identity

HERE = Path(__file__).resolve().parent
MIB = 1024 * 1024


@dataclass
class GuardedReceiver:
    proc: subprocess.Popen[bytes]
    port: int
    db: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def memory_mib(self) -> dict[str, float]:
        """Resident memory now (VmRSS) and its peak so far (VmHWM), in MiB."""
        out = {}
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) / 1024
        return out

    def calls(self) -> dict[str, int]:
        counts: dict[str, int] = httpx.get(f"{self.url}/calls", timeout=10).json()
        return counts

    def post(self, path: str, body: bytes, *, signed: bool = True) -> httpx.Response:
        headers = {"Content-Type": "application/json"}
        if signed:
            headers["Signature"] = compute_signature(body, SECRET)
        return httpx.post(f"{self.url}{path}", content=body, headers=headers, timeout=30)


@pytest.fixture(scope="module")
def receiver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GuardedReceiver]:
    port = free_port()
    db = tmp_path_factory.mktemp("replay") / "deliveries.sqlite"
    proc = subprocess.Popen([sys.executable, str(HERE / "_guarded_receiver.py"), str(port), str(db)], cwd=HERE)
    server = GuardedReceiver(proc, port, db)
    deadline = time.monotonic() + 30
    while True:
        try:
            server.calls()
            break
        except httpx.HTTPError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError("the guarded receiver did not start") from None
            time.sleep(0.1)
    yield server
    proc.terminate()
    proc.wait(timeout=10)


def flood(port: int, path: str, total: int, *, chunked: bool, timeout: float = 10) -> tuple[int, int]:
    """Offer ``total`` bytes of junk, unsigned, 64 KiB at a time; stop when the server answers or hangs up.

    Returns (status code, bytes actually sent). ``chunked`` sends no Content-Length, so the server can only
    refuse while streaming.
    """
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {total}"
    head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{framing}\r\n\r\n"
    sock.sendall(head.encode())
    piece = b"[" * 65536
    frame = b"%x\r\n%b\r\n" % (len(piece), piece) if chunked else piece
    sent = 0
    with sock:
        while sent < total and not select.select([sock], [], [], 0)[0]:
            try:
                sock.sendall(frame)
            except OSError:  # the server hung up after answering: read what it said
                break
            sent += len(piece)
        else:
            if chunked and sent >= total:
                sock.sendall(b"0\r\n\r\n")  # the whole body went through: end the chunked stream
        answer = b""
        while b"\r\n" not in answer:
            data = sock.recv(4096)
            if not data:
                break
            answer += data
    return int(answer.split(b" ")[1]), sent


def test_256_mib_unsigned_bodies_are_refused_413_with_bounded_memory(receiver: GuardedReceiver) -> None:
    before = receiver.memory_mib()
    size = 256 * MIB
    declared = flood(receiver.port, "/plain", size, chunked=False)
    streamed = flood(receiver.port, "/plain", size, chunked=True)
    with ThreadPoolExecutor(4) as pool:  # a few at once used to take the process down
        parallel = list(pool.map(lambda i: flood(receiver.port, "/plain", size, chunked=bool(i % 2)), range(4)))
    after = receiver.memory_mib()
    for status, sent in [declared, streamed, *parallel]:
        assert status == 413
        assert sent < 64 * MIB  # refused long before the end of the offered 256 MiB
    grew = after["VmHWM"] - before["VmHWM"]
    print(f"\nflood: RSS {before['VmRSS']:.1f} -> {after['VmRSS']:.1f} MiB, peak +{grew:.1f} MiB; sent {declared[1]} B")
    assert grew < 20
    assert "/plain" not in receiver.calls()  # no handler ran
    ok = receiver.post("/plain", json.dumps({"type": "custom_event", "data": {}}).encode())
    assert ok.status_code == 200  # and it still serves


def test_a_signed_body_over_the_cap_is_refused_too(receiver: GuardedReceiver) -> None:
    body = json.dumps({"type": "custom_event", "data": {"pad": "x" * MIB}}).encode()
    assert receiver.post("/plain", body).status_code == 413


def test_deeply_nested_or_unparsable_signed_bodies_answer_400(receiver: GuardedReceiver) -> None:
    before = receiver.calls().get("/plain", 0)
    depth = 100_000
    nested = b'{"type": "contact_updated", "data": {"contact": ' + b"[" * depth + b"]" * depth + b"}}"
    assert receiver.post("/plain", nested).status_code == 400
    nested_object = b'{"type": "custom_event", "data": ' + b'{"a": ' * depth + b"1" + b"}" * depth + b"}"
    assert receiver.post("/plain", nested_object).status_code == 400
    for junk in (b"", b"{", b"\xff\xfe", b"[]", b'{"type": 5}', b"NaN"):
        assert receiver.post("/plain", junk).status_code == 400, junk
    assert receiver.calls().get("/plain", 0) == before


@pytest.mark.parametrize("path", ["/guarded", "/guarded-sqlite"])
def test_a_replayed_signed_delivery_runs_the_handler_once(receiver: GuardedReceiver, path: str) -> None:
    body = json.dumps({"type": "custom_event", "data": {"n": path}}).encode()
    answers = [receiver.post(path, body).json()["status"] for _ in range(5)]
    assert answers == ["ok", "duplicate", "duplicate", "duplicate", "duplicate"]
    other = json.dumps({"type": "custom_event", "data": {"n": path, "second": True}}).encode()
    assert receiver.post(path, other).json()["status"] == "ok"
    assert receiver.calls()[path] == 2
    if path == "/guarded-sqlite":  # the claim is in the file: another process (this one) sees it
        shared = SQLiteReplayGuard(str(receiver.db))
        assert not shared.claim(delivery_identity(body))
        shared.close()


def test_a_failed_handler_releases_its_claim_so_the_retry_runs(receiver: GuardedReceiver) -> None:
    body = json.dumps({"type": "custom_event", "data": {"retry": 1}}).encode()
    assert receiver.post("/flaky-guarded", body).status_code == 500
    assert receiver.post("/flaky-guarded", body).json()["status"] == "ok"
    assert receiver.post("/flaky-guarded", body).json()["status"] == "duplicate"
    assert receiver.calls()["/flaky-guarded"] == 1


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_replay_guards_forget_after_the_ttl(kind: str, tmp_path: Path) -> None:
    now = [1000.0]
    guard = (
        InMemoryReplayGuard(ttl=60, clock=lambda: now[0])
        if kind == "memory"
        else SQLiteReplayGuard(str(tmp_path / "g.sqlite"), ttl=60, clock=lambda: now[0])
    )
    assert guard.claim("k") and not guard.claim("k")
    now[0] += 59
    assert not guard.claim("k")
    now[0] += 2
    assert guard.claim("k")  # expired: a delivery this old is accepted again
    guard.release("k")
    assert guard.claim("k")
    with pytest.raises(ValueError):
        InMemoryReplayGuard(ttl=0)
