"""Booking over HTTP against a real gunicorn: `python -m bench.http_booking` (see __main__.py).

Importing the package sets Django up on the bench database, so its modules (and bench.load)
can import the models.
"""

from bench.common import setup_django

setup_django()
