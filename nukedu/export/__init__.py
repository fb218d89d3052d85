"""Exports: one module per format, each a pure function from the bank to text or bytes (the CLI writes files)."""
