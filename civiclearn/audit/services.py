"""Recording staff actions. Called by the service that does the action, in the same transaction."""

from civiclearn.audit.models import AuditEvent
from civiclearn.extensions import db


def record(actor, action: str, subject_type: str, subject_id: int | None, **detail) -> AuditEvent:
    """Add one event; `detail` must never hold a PIN, a password or other secret. Flushes."""
    event = AuditEvent(actor_id=getattr(actor, "id", None), action=action, subject_type=subject_type,
                       subject_id=subject_id, detail=detail)
    db.session.add(event)
    db.session.flush()
    return event


def record_each(actor, action: str, subject_type: str, subject_ids: list[int], **detail) -> None:
    """One event per subject (say, each learner of a roster), written together. Flushes."""
    db.session.add_all([AuditEvent(actor_id=getattr(actor, "id", None), action=action, subject_type=subject_type,
                                   subject_id=subject_id, detail=detail) for subject_id in subject_ids])
    db.session.flush()
