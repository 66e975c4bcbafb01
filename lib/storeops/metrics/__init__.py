"""Metrics: one module per domain, ibis expressions in, small aggregates out; the registry."""
