"""The audit log: what staff did to people and their data, and when."""
