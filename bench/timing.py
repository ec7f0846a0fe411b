"""Timing one page the benchmarks share: its query count and the median of repeated requests."""

import os
import statistics
import time

from django.db import connections
from django.test.utils import CaptureQueriesContext


def measure(client, path: str, repeat: int) -> tuple[int, float]:
    """(SQL queries of one request, median milliseconds of `repeat` requests) for `path`.

    The first request warms up (a session's first request costs a query or two more). With
    BENCH_PROFILE set, the slowest queries of the counted request are printed."""
    client.get(path)
    with CaptureQueriesContext(connections["default"]) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    count = len(queries)
    if os.environ.get("BENCH_PROFILE"):
        for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:6]:
            print(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:150]}")
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - start) * 1000)
    return count, statistics.median(times)
