"""Web plumbing every app shares: the API's error shape and JSON-strict fields (rest.py), the
schema hook (schema.py), rate limits (throttling.py), the database-outage middleware, /healthz,
error pages, database helpers for migrations (db.py), accessible forms and the OTP-only admin.
It imports no other Acus app."""
