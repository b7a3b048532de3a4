"""A minimal module, kept as a test fixture, that proves the module contract (ADR 0013)."""
