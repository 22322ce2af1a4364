"""Load: 50 simulated patients browse slots and book for 60 s against gunicorn and PostgreSQL.

    .venv/bin/python -m bench.seed     # once, if acus_bench is missing
    .venv/bin/python -m bench.load     # ~1.5 minutes; the load phase stops hard at 120 s

Reuses bench.http_booking: it starts gunicorn (4 workers, DEBUG=0) on the bench database,
waits for /healthz, creates DRF tokens for the seeded patients, warms the workers and
always stops gunicorn at the end.

Each simulated patient is a thread with its own keep-alive connection and its own token
(so the throttles count per patient, not per address). Until --duration seconds have
passed it loops:

    GET  /api/v1/appointment-types?clinic=<id>
    GET  /api/v1/practitioners?clinic=<id>
    GET  /api/v1/slots  a random treatment, a random 3-day window in the next 28 days,
                        any practitioner or a random one offering the treatment
    POST /api/v1/appointments  with probability --book, one of the returned slots,
                        with a fresh Idempotency-Key
    GET  /api/v1/appointments  with probability --list

Throttles (core.throttling.ScopedThrottle; rates in settings): slots 120/minute per caller, holds 30/hour per
patient. Without --redis-url the cache is per gunicorn worker (LocMemCache), so each worker
counts on its own. 429s are reported apart: they are expected behaviour, not errors.

Reported: total requests, throughput, p50/p95/p99 per endpoint, status counts, 5xx and
no-answer counts (both must be 0), and SQL: no two live appointments of one practitioner
overlap on blocked_start/blocked_end, no patient has two overlapping live appointments.
Holds are cancelled (reason bench_cleanup) before and after, as in bench.http_booking.
Writes bench/results/load-<time>.json (and load-latest.json).
"""
