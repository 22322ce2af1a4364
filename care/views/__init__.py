"""The patient's pages for a course of care, one module per part (see care/urls.py)."""
