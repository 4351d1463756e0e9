"""Centres and cohorts: enrolling learners, finding them, and the kiosks of a centre.

Functions flush and never commit; the request that calls them commits once.
"""

from sqlalchemy import insert, or_, select

from civiclearn import codes
from civiclearn.accounts import services as accounts
from civiclearn.accounts.models import User
from civiclearn.audit.services import record
from civiclearn.centres.models import Centre, Cohort, Enrolment, Kiosk
from civiclearn.database import upsert, utcnow
from civiclearn.extensions import db
from civiclearn.paging import Page, paginate


def enrol(learner: User, cohort: Cohort) -> None:
    """Put a learner in a cohort; doing it again changes nothing. Flushes."""
    upsert(db.session, Enrolment, {"person_id": learner.id, "cohort_id": cohort.id, "enrolled_at": utcnow()},
           ["person_id", "cohort_id"])


def add_learners(actor: User, entries: list[tuple[Cohort, dict]]) -> list[tuple[User, str]]:
    """Learners a trainer registers, each into a cohort: one from the form, or a whole roster at once.
    Returns each with their starting PIN (shown once). Flushes."""
    if not entries:
        return []
    added = accounts.add_learners(actor, [person for _cohort, person in entries])
    now = utcnow()
    db.session.execute(insert(Enrolment), [{"person_id": learner.id, "cohort_id": cohort.id, "enrolled_at": now}
                                           for (cohort, _person), (learner, _pin) in zip(entries, added, strict=True)])
    return added


def create_cohort(actor: User, centre: Centre, name: str, starts_on=None, ends_on=None) -> Cohort:
    cohort = Cohort(centre_id=centre.id, name=name, starts_on=starts_on, ends_on=ends_on)
    db.session.add(cohort)
    db.session.flush()
    record(actor, "cohort.create", "centre", centre.id, cohort=name)
    return cohort


def learners_of(centre: Centre, search: str = "", cohort_id: int | None = None, page: int = 1) -> Page:
    """The centre's learners with their cohort, by name; `search` matches a name or a learner code."""
    query = (select(User, Cohort).join(Enrolment, Enrolment.person_id == User.id).join(Cohort)
             .where(Cohort.centre_id == centre.id, User.anonymised_at.is_(None)))
    if cohort_id:
        query = query.where(Cohort.id == cohort_id)
    search = " ".join(search.split())
    if search:
        query = query.where(or_(User.display_name.ilike(f"%{search}%"),
                                User.learner_code == codes.normalise(search)))
    return paginate(query.order_by(User.display_name, User.id), page)


def cohort_learners(cohort: Cohort) -> list[User]:
    """The learners of a cohort by name (for learner cards and a kiosk's name list)."""
    return db.session.scalars(
        select(User).join(Enrolment, Enrolment.person_id == User.id)
        .where(Enrolment.cohort_id == cohort.id, User.anonymised_at.is_(None)).order_by(User.display_name, User.id)
    ).all()


def learners_among(centre: Centre, ids) -> list[User]:
    """Those of the people `ids` who are learners of the centre (not deleted), by name as on a cohort's cards:
    the learners just added, for their cards and their starting-PIN slips."""
    enrolled = select(Enrolment.person_id).join(Cohort).where(Cohort.centre_id == centre.id)
    return db.session.scalars(
        select(User).where(User.id.in_(list(ids)), User.id.in_(enrolled), User.anonymised_at.is_(None))
        .order_by(User.display_name, User.id)
    ).all()


def make_kiosk(actor: User, centre: Centre, name: str) -> Kiosk:
    kiosk = Kiosk(centre_id=centre.id, name=name, created_by_id=actor.id)
    db.session.add(kiosk)
    db.session.flush()
    record(actor, "kiosk.create", "centre", centre.id, kiosk=kiosk.id)
    return kiosk


def retire_kiosk(actor: User, kiosk: Kiosk) -> None:
    kiosk.revoked_at = utcnow()
    db.session.flush()
    record(actor, "kiosk.revoke", "centre", kiosk.centre_id, kiosk=kiosk.id)
