"""Fixtures for the FHIR endpoint's tests: the clock at tests/interop/factories.NOW, a site and
another clinic, keys with each scope and clients for them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from rest_framework.test import APIClient

from interop.models import Scope
from tests.interop.factories import NOW, Site, key_client, make_key, make_site


@pytest.fixture
def clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def site(db: None, clock: None) -> Site:
    return make_site()


@pytest.fixture
def elsewhere(db: None, clock: None) -> Site:
    return make_site()


@pytest.fixture
def reader(site: Site) -> APIClient:
    return key_client(make_key(site.clinic, Scope.SLOTS_READ)[1])


@pytest.fixture
def booker(site: Site) -> APIClient:
    return key_client(make_key(site.clinic, Scope.SLOTS_READ, Scope.BOOK)[1])


# The IHE flow's world over real HTTP (tests/interop/flow_world.py: test_flow_*).
from tests.interop.flow_world import clinic, directory, fhir_url, massage, needling, patient_fhir, pin, portal  # noqa: E402

__all__ = ["clinic", "directory", "fhir_url", "massage", "needling", "patient_fhir", "pin", "portal"]
