"""Benchmarks of the crawler and its parts (run each module with ``python -m``)."""
