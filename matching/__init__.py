"""The placement engine: eligibility, scoring, rules, solving, verification."""
