"""Scenario files, the synthetic data generator and runners."""
