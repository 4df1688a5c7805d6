"""Loopback HTTP client shared by the load bench (in progress) and the fault tests."""
