"""Every metric Acus counts while it runs, in one place (README, "Metrics", lists them).

Labels are bounded by construction: a route is the URL pattern as written (never the path,
which carries ids and tokens), a status is its class (2xx), a method one of a fixed few, and
the domain labels are enums (channel, outcome, who cancelled). No label ever holds a patient,
an address or an id. Figures read from the database or Redis at scrape time (outbox lag,
queue depth, the integrity check) are collectors, registered by the app that owns the data
(core.metrics.scrape)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

# --- Requests (core.metrics.middleware) -----------------------------------------------------

REQUESTS = Counter(
    "acus_http_requests", "HTTP requests answered, by route pattern and status class", ["method", "route", "status"]
)
REQUEST_SECONDS = Histogram(
    "acus_http_request_duration_seconds",
    "Time to answer an HTTP request, by route pattern",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
DB_QUERIES = Counter("acus_http_db_queries", "Database queries made while answering requests, by route", ["route"])
DB_SECONDS = Counter("acus_http_db_seconds", "Time spent in the database while answering requests, by route", ["route"])

# --- Booking (booking.services) ---------------------------------------------------------------

HOLDS = Counter("acus_holds", "Slots held (the first step of a booking)")
BOOKINGS = Counter("acus_bookings_confirmed", "Appointments confirmed")
CANCELLATIONS = Counter("acus_cancellations", "Live appointments cancelled, by who decided", ["by"])
HOLDS_EXPIRED = Counter("acus_holds_expired", "Holds released because their time ran out")

# --- Consent (consent.services) --------------------------------------------------------------

SIGNATURES = Counter("acus_consents_signed", "Consents signed, by signer", ["signer"])
SCREENINGS = Counter("acus_screenings", "Health screenings answered, by outcome", ["outcome"])

# --- Notifications (notifications.dispatch; mostly counted in Celery workers) ---------------

MESSAGES_SENT = Counter("acus_messages_sent", "Messages sent, by channel", ["channel"])
MESSAGES_FAILED = Counter("acus_messages_failed", "Messages given up on (failed for good), by channel", ["channel"])
SEND_ERRORS = Counter(
    "acus_message_send_errors", "Tries to send a message that failed (retried or not), by channel", ["channel"]
)
