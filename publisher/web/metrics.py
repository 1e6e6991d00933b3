"""Request counts and latencies by route, exposed in the Prometheus text format."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


@dataclass
class Histogram:
    """Cumulative latency buckets, a sum and a count."""

    counts: list[int] = field(default_factory=lambda: [0] * len(BUCKETS))
    total: float = 0.0
    count: int = 0

    def observe(self, seconds: float) -> None:
        for index, bound in enumerate(BUCKETS):
            if seconds <= bound:
                self.counts[index] += 1
        self.total += seconds
        self.count += 1


class Metrics:
    """Counters the app updates; ``render`` writes them for Prometheus."""

    def __init__(self) -> None:
        self.requests: dict[tuple[str, str, int], int] = defaultdict(int)
        self.latency: dict[str, Histogram] = defaultdict(Histogram)
        self.query_timeouts = 0
        self.truncated_answers = 0
        self.cached_answers = 0
        self.replayed_responses = 0

    def render(self, version: str) -> str:
        lines = [
            "# HELP lodpub_release_info The release being served.",
            "# TYPE lodpub_release_info gauge",
            f'lodpub_release_info{{version="{version}"}} 1',
            "# HELP lodpub_requests_total HTTP requests by route, method and status.",
            "# TYPE lodpub_requests_total counter",
        ]
        for (route, method, status), count in sorted(self.requests.items()):
            labels = f'route="{route}",method="{method}",status="{status}"'
            lines.append(f"lodpub_requests_total{{{labels}}} {count}")
        lines += [
            "# HELP lodpub_request_duration_seconds Time to answer, by route.",
            "# TYPE lodpub_request_duration_seconds histogram",
        ]
        for route, histogram in sorted(self.latency.items()):
            name = "lodpub_request_duration_seconds"
            for bound, count in zip(BUCKETS, histogram.counts, strict=True):
                lines.append(f'{name}_bucket{{route="{route}",le="{bound}"}} {count}')
            lines += [
                f'{name}_bucket{{route="{route}",le="+Inf"}} {histogram.count}',
                f'{name}_sum{{route="{route}"}} {histogram.total:.6f}',
                f'{name}_count{{route="{route}"}} {histogram.count}',
            ]
        lines += [
            "# HELP lodpub_sparql_timeouts_total SPARQL queries cancelled at the time limit.",
            "# TYPE lodpub_sparql_timeouts_total counter",
            f"lodpub_sparql_timeouts_total {self.query_timeouts}",
            "# HELP lodpub_sparql_truncated_total SPARQL answers cut at the row limit.",
            "# TYPE lodpub_sparql_truncated_total counter",
            f"lodpub_sparql_truncated_total {self.truncated_answers}",
            "# HELP lodpub_sparql_cached_total SPARQL answers served from the release's cache.",
            "# TYPE lodpub_sparql_cached_total counter",
            f"lodpub_sparql_cached_total {self.cached_answers}",
            "# HELP lodpub_replayed_total Document responses sent again from memory.",
            "# TYPE lodpub_replayed_total counter",
            f"lodpub_replayed_total {self.replayed_responses}",
        ]
        return "\n".join(lines) + "\n"


class MetricsMiddleware:
    """ASGI middleware that records each request under its route template."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            route = scope.get("route")
            name = getattr(route, "path", "unmatched")
            self.metrics.requests[(name, scope["method"], status)] += 1
            self.metrics.latency[name].observe(time.perf_counter() - start)
