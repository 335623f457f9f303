"""Benchmarks and national-scale data generators (see docs/performance.md)."""
