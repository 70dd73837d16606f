"""Benchmarks of prayerdoc: throughput, start-up time and memory (run ``benchmarks/run.py``)."""
