"""The clinic admins' consent audit: the list, the detail, the access log, exports (CSV, PDF,
FHIR), the integrity report and job, and retention with erasure. Pages under /staff/audit/.
Its models (access rows, erasure requests, chain-check runs) stay in booking and consent,
where their migrations are; what needs only consent data is in consent/ (fhir/, csv_export.py)."""
