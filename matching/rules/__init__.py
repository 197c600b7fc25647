"""One module per rule that becomes rows of the formulation (H3-H8 act in eligibility)."""
