"""Versioned FHIR resource storage with SQL search indexes (SQLite or PostgreSQL)."""

from server.store.store import Store, Stored

__all__ = ["Store", "Stored"]
