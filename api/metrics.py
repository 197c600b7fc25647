"""Prometheus metrics: requests, latencies, solve seconds, and jobs by status from the store."""

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from api.store import JobStore

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
SOLVE_BUCKETS = (0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600)


class JobsByStatus(Collector):
    """Reads the store at each scrape, so every service reports the shared queue."""

    def __init__(self, store: JobStore) -> None:
        self.store = store

    def collect(self):  # noqa: ANN201 (prometheus_client's protocol)
        family = GaugeMetricFamily(
            "placement_jobs", "Jobs in the store by status", labels=["status"]
        )
        for status, count in self.store.counts().items():
            family.add_metric([status], count)
        yield family


class Metrics:
    """One registry per app, so tests and several apps in one process do not collide."""

    def __init__(self, store: JobStore) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "placement_http_requests",
            "HTTP requests by method, route and status code",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "placement_http_request_seconds",
            "HTTP request latency by route",
            ["route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.solve_seconds = Histogram(
            "placement_solve_seconds",
            "Wall time of solver runs by kind (sync, job, explain or recommend)",
            ["kind"],
            buckets=SOLVE_BUCKETS,
            registry=self.registry,
        )
        self.registry.register(JobsByStatus(store))
