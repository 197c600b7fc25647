"""Reproducible benchmark suite."""
