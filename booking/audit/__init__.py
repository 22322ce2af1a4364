"""The clinic admins' consent audit (issue 8): the list, the detail, the access log,
exports (CSV, PDF, FHIR), the integrity report and retention with erasure.

It lives in booking because it needs clinics, practitioners and appointments;
what needs only consent data is in consent/ (fhir/, csv_export.py)."""
