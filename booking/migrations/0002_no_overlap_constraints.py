"""No double booking, guaranteed by PostgreSQL.

Two exclusion constraints over live appointments (held, pending_review,
confirmed): a practitioner's blocked spans (buffers included) never overlap,
and a patient's visits never overlap. On SQLite, IMMEDIATE transactions
serialize booking, and booking.services checks before inserting."""

from django.db import migrations

from core.db import append_only, postgres_only

LIVE = "('held', 'pending_review', 'confirmed')"

FORWARD = f"""
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE booking_appointment ADD CONSTRAINT appt_no_practitioner_overlap
    EXCLUDE USING gist (practitioner_id WITH =, tstzrange(blocked_start, blocked_end, '[)') WITH &&)
    WHERE (status IN {LIVE});
ALTER TABLE booking_appointment ADD CONSTRAINT appt_no_patient_overlap
    EXCLUDE USING gist (patient_id WITH =, tstzrange(start, "end", '[)') WITH &&)
    WHERE (status IN {LIVE});
"""

BACKWARD = """
ALTER TABLE booking_appointment DROP CONSTRAINT IF EXISTS appt_no_practitioner_overlap;
ALTER TABLE booking_appointment DROP CONSTRAINT IF EXISTS appt_no_patient_overlap;
"""


class Migration(migrations.Migration):
    dependencies = [("booking", "0001_initial")]

    operations = [
        postgres_only(FORWARD, BACKWARD),
        append_only("booking_appointmentevent"),
    ]
