"""The waitlist's writes, one module per part: entries (joining, changing, leaving, ending),
freeing (recording a freed time and starting its matching), offers (making, sending, claiming,
passing on)."""
