"""Benchmarks: `make bench` runs each `bench_*.py` module's `main()`; figures are printed only."""
