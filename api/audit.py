"""The audit log: who submitted, read or cancelled which job and when; ids only."""

from api.keys import Caller
from api.store import JobStore, now
from api.tables import AuditEvent


def record(
    store: JobStore, caller: Caller | None, action: str, outcome: str, job_id: str | None = None
) -> None:
    """One event; never the request body, so never personal data."""
    with store.sessions.begin() as session:
        session.add(
            AuditEvent(
                at=now(),
                key_id=caller.key_id if caller else None,
                key_name=caller.name if caller else None,
                tenant=caller.tenant if caller else None,
                action=action,
                job_id=job_id,
                outcome=outcome,
            )
        )
