"""`make bench`: builds a synthetic large council on PostgreSQL and times the product's
hot paths against a hand-written SQL floor in the same run. Figures go to
docs/benchmarks.md. Not part of the product; never imported by it."""
