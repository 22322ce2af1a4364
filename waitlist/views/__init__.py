"""The patient's waitlist pages, one module per part (see waitlist/urls.py)."""
