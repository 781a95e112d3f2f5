"""Reusable Qt widgets. They know nothing of FHIR, HTTP or the console (enforced by a test)."""
