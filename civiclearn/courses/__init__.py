"""Courses as files: the format (reader), checking, loading into the database, and the catalogue."""
