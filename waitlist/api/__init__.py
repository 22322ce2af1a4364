"""The waitlist's REST API, one module per part (see waitlist/api/urls.py)."""
