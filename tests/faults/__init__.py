"""Fault tier: real processes and servers under collisions, kills and outages."""
