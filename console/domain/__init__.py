"""Plain data and pure rules of the console. Imports no Qt and no HTTP (enforced by a test)."""
