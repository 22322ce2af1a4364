"""The waitlist's reads."""
