"""National-scale benchmarks: `make bench` (see benchmarks/README.md)."""
