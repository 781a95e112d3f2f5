"""The only code in the console that speaks HTTP or WebSocket (no Qt here).

`client` (REST), `live` (notifications and catch-up), `mapping` (FHIR → domain), `errors`.
"""
