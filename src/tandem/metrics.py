"""Prometheus metrics, one registry per app (no module-level collectors)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


class _QueueDepthCollector(Collector):
    """Reads queue depth per deployment at scrape time."""

    def __init__(self, read: Callable[[], Iterable[tuple[str, int]]]) -> None:
        self._read = read

    def collect(self) -> Iterable[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "tandem_queue_depth",
            "Requests waiting for a deployment's backends",
            labels=["deployment"],
        )
        for name, depth in self._read():
            family.add_metric([name], depth)
        yield family


class Metrics:
    """The platform's metrics: HTTP traffic, model requests, latency, tokens, queues."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.http_requests = Counter(
            "tandem_http_requests",
            "HTTP requests by route and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.requests = Counter(
            "tandem_model_requests",
            "Model requests by deployment, operation and outcome",
            ["deployment", "operation", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "tandem_model_request_seconds",
            "Time to a whole response (or to the end of a stream)",
            ["deployment", "operation"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.first_token = Histogram(
            "tandem_time_to_first_chunk_seconds",
            "Time to the first streamed chunk",
            ["deployment", "operation"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.tokens = Counter(
            "tandem_tokens",
            "Tokens by deployment and kind (prompt, completion)",
            ["deployment", "kind"],
            registry=self.registry,
        )

    def watch_queues(self, read: Callable[[], Iterable[tuple[str, int]]]) -> None:
        """Report queue depth per deployment from `read` at each scrape."""
        self.registry.register(_QueueDepthCollector(read))

    def record_usage(self, deployment: str, usage: object) -> None:
        """Count the tokens of an OpenAI `usage` object."""
        if not isinstance(usage, dict):
            return
        for kind in ("prompt", "completion"):
            value = usage.get(f"{kind}_tokens")
            if isinstance(value, int) and value > 0:
                self.tokens.labels(deployment, kind).inc(value)
