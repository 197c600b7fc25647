"""The vocabulary of the optimiser: the Problem and Solution contract (no solver imports)."""
