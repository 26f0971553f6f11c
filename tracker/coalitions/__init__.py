"""Coalitions as code: the YAML file format, loading and exporting, positions and access."""
