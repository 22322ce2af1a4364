"""Benchmarks: rerunnable scripts, never timed tests. See bench/README.md."""
