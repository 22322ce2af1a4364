"""config.wsgi's application under pyinstrument, for `python -m bench.load --profile DIR` only.

The profiler starts when a gunicorn worker loads the application and runs until the worker
exits (gunicorn stops it with SIGTERM at the end of the run); then it writes
DIR/profile-<pid>.txt. Starting and stopping it around each request would leave out the
worker's idle wait, but pyinstrument then merges a session per request, which slowed the
server six-fold; read the `handle_request` subtree of the text instead (the rest is the
worker waiting in select). Kept apart from bench.load: importing that package sets Django
up for the load generator (DEBUG on, the bench database), which must not happen here.
"""

from __future__ import annotations

import atexit
import os
import time
from pathlib import Path

from pyinstrument import Profiler
from pyinstrument.stack_sampler import get_stack_sampler

from config.wsgi import application

__all__ = ["application"]

_OUT = Path(os.environ.get("ACUS_PROFILE_DIR", "bench/results/profile"))
# CPU time, not wall time: the question is what the worker spends its core on; time spent
# waiting for PostgreSQL, Redis or the next request then weighs nothing.
get_stack_sampler().timer_func = time.process_time
_profiler = Profiler(interval=0.001, async_mode="disabled")
_profiler.start()


def _write() -> None:
    _profiler.stop()
    _OUT.mkdir(parents=True, exist_ok=True)
    text = _profiler.output_text(unicode=True, show_all=False, short_mode=False)
    (_OUT / f"profile-{os.getpid()}.txt").write_text(text)


atexit.register(_write)
