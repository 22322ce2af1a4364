"""Writes for the FHIR endpoint: booking ($hold, $book, Appointment updates) and the patients a
client key books for. Each wraps booking's own services, so the web's rules apply unchanged."""
