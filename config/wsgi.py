"""The WSGI application gunicorn serves (`config.wsgi:application`)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Import every view now rather than on the first request, then move everything loaded so far
# (modules, classes, functions: about 200,000 objects that live as long as the process) out of
# the garbage collector's sight. A full collection then walks only what requests created:
# measured in process, its longest pause fell from 142 ms to 14.5 ms (bench/README, "Issue 22,
# third pass"), a pause every request queued behind that worker used to wait out.
get_resolver().url_patterns  # noqa: B018
gc.freeze()
