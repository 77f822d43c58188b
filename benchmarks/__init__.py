"""Benchmarks, run by hand: quality and speed figures beside a baseline from the same run."""
