"""Open data: anonymised counts per district and month, for anyone, with their data dictionary."""
