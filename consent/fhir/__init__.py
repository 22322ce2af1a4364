"""A patient's consent record as a FHIR R4B Bundle. No database access.

The caller (compliance.exports) loads the rows and passes plain data and consent
models in; this package builds the resources, validates them with the R4B models of
the fhir.resources package, and then runs the checks that package does not make:
the code lists and the Consent invariants (FACTS.md section 8).

- record.py: what the caller passes in (PatientRecord and its parts).
- codes.py: code systems, the R4B code lists we check, our statuses in FHIR's words.
- ids.py: stable resource ids and urn:uuid references.
- builders.py: one function per resource (Patient, Practitioner, Appointment,
  Questionnaire, QuestionnaireResponse, Consent).
- bundle.py: build_bundle, which assembles and validates them.
- validation.py: FhirInvalid, validate_bundle and check_bundle.
"""
