"""Webhook receiver under a flood: 256 MiB unsigned bodies against ``webhook_router`` (body cap) and against a
receiver that reads the whole body before checking the signature (what the router did before the cap).

Each receiver runs in its own process on 127.0.0.1; memory is read from ``/proc/<pid>/status`` (VmRSS now, VmHWM
peak). One body with ``Content-Length``, one chunked (no length: only streaming can stop it), then four at once.
Run: ``.venv/bin/python benchmarks/webhook_flood.py [--mib 256] [--parallel 4]`` (Linux: needs /proc).
"""

from __future__ import annotations

import argparse
import select
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI, Request, Response

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from piggy_agent_tools.sandbox.server import free_port
from piggy_agent_tools.webhooks import verify_signature, webhook_router

MIB = 1024 * 1024
SECRET = "whsec-flood"


def serve(kind: str, port: int) -> None:
    """The receiver process: ``capped`` is the library's router; ``unbounded`` reads everything, then verifies."""
    app = FastAPI()
    if kind == "capped":
        app.include_router(webhook_router(SECRET, {}, path="/hook", default=lambda event: None))
    else:

        @app.post("/hook")
        async def hook(request: Request) -> Response:
            raw = await request.body()
            ok = verify_signature(raw, request.headers.get("Signature"), SECRET)
            return Response(status_code=200 if ok else 401)

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def flood(port: int, total: int, *, chunked: bool) -> tuple[int, int]:
    """Offer ``total`` junk bytes 64 KiB at a time, stopping when the server answers; (status, bytes sent)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=300)
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {total}"
    sock.sendall(
        f"POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{framing}\r\n\r\n".encode()
    )
    piece = b"[" * 65536
    frame = b"%x\r\n%b\r\n" % (len(piece), piece) if chunked else piece
    sent = 0
    with sock:
        while sent < total and not select.select([sock], [], [], 0)[0]:
            try:
                sock.sendall(frame)
            except OSError:
                break
            sent += len(piece)
        else:
            if chunked and sent >= total:
                sock.sendall(b"0\r\n\r\n")
        answer = b""
        while b"\r\n" not in answer:
            data = sock.recv(4096)
            if not data:
                break
            answer += data
    return int(answer.split(b" ")[1]), sent


def memory(pid: int) -> dict[str, float]:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) / 1024
    return out


def measure(kind: str, mib: int, parallel: int) -> str:
    port = free_port()
    proc = subprocess.Popen([sys.executable, __file__, "--serve", kind, "--port", str(port)])
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.post(f"http://127.0.0.1:{port}/hook", content=b"{}", timeout=5)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the {kind} receiver did not start") from None
                time.sleep(0.2)
        before = memory(proc.pid)
        started = time.monotonic()
        declared = flood(port, mib * MIB, chunked=False)
        streamed = flood(port, mib * MIB, chunked=True)
        single = memory(proc.pid)
        with ThreadPoolExecutor(parallel) as pool:
            many = list(pool.map(lambda i: flood(port, mib * MIB, chunked=bool(i % 2)), range(parallel)))
        after = memory(proc.pid)
        return (
            f"{kind:9}: Content-Length -> {declared[0]} after {declared[1] / MIB:.1f} MiB sent; "
            f"chunked -> {streamed[0]} after {streamed[1] / MIB:.1f} MiB; RSS {before['VmRSS']:.0f} MiB; peak "
            f"{before['VmHWM']:.0f} -> {single['VmHWM']:.0f} MiB (+{single['VmHWM'] - before['VmHWM']:.0f}); "
            f"{parallel} at once: {sorted({s for s, _ in many})}, peak {after['VmHWM']:.0f} MiB; "
            f"{time.monotonic() - started:.1f} s; alive: {proc.poll() is None}"
        )
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mib", type=int, default=256, help="size of each offered body in MiB (default 256)")
    parser.add_argument("--parallel", type=int, default=4, help="bodies sent at once in the last round (default 4)")
    parser.add_argument("--serve", choices=["capped", "unbounded"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port)
        return 0
    for kind in ("unbounded", "capped"):
        print(measure(kind, args.mib, args.parallel), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
