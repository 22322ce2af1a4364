"""The IHE flow's fixtures (tests/interop/flow_world.py) for every interop test."""

from tests.interop.flow_world import clinic, fhir_url, massage, needling, patient_fhir, pin, portal, reader

__all__ = ["clinic", "fhir_url", "massage", "needling", "patient_fhir", "pin", "portal", "reader"]
