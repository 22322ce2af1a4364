"""Reads of the clinical record: plans of care (plans.py)."""
