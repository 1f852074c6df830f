"""Helpers of the load test bench/last.py (a package, so that `make bench` does not run them)."""
