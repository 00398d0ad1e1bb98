"""Shared benchmark helpers: timing loops, medians, and the machine description printed with every result."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return (
        f"{platform.system()} {platform.machine()} ({cpu}), {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )


def median_us(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of one call, in microseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1e6)
    return statistics.median(samples)


def interleaved_medians(a: Callable[[], object], b: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median of a and of b in microseconds, measured alternately so drift hits both the same."""
    sa, sb = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        a()
        sa.append((time.perf_counter() - start) * 1e6)
        start = time.perf_counter()
        b()
        sb.append((time.perf_counter() - start) * 1e6)
    return statistics.median(sa), statistics.median(sb)
