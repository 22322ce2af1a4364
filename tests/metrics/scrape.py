"""Reading /metrics as Prometheus would: `scrape(client)` parses the text exposition into
samples, `Scrape.value(name, **labels)` sums the matching ones."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from prometheus_client.parser import text_string_to_metric_families

LOOPBACK = "127.0.0.1"


@dataclass
class Scrape:
    samples: list[tuple[str, dict[str, str], float]]
    text: str

    def value(self, name: str, **labels: str) -> float:
        return sum(v for n, found, v in self.samples if n == name and labels.items() <= found.items())

    def has(self, name: str) -> bool:
        return any(n == name for n, _, _ in self.samples)

    def names(self) -> set[str]:
        return {n for n, _, _ in self.samples}


def parse(text: str) -> Scrape:
    samples = [
        (sample.name, dict(sample.labels), sample.value)
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    ]
    return Scrape(samples, text)


def scrape(client: Any, **extra: Any) -> Scrape:
    response = client.get("/metrics", REMOTE_ADDR=extra.pop("REMOTE_ADDR", LOOPBACK), **extra)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return parse(response.content.decode())
