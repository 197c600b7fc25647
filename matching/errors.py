"""Typed errors of the engine; infeasibility is a result, not an error."""


class AssignmentError(Exception):
    """A request the engine cannot carry out (wrong backend for the problem, internal fault)."""

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.details = details


class VerificationFailed(AssignmentError):
    """A solver returned placements that break a hard rule: a defect, never shown as a result."""
