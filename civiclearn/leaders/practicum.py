"""The leader's practicum: the sessions they run and the people they mentor, logged by the leader at a
centre where they learn, and confirmed (or declined) by a trainer of that centre. The pathway counts
only what is confirmed (civiclearn.leaders.services).

A mentee is added by their learner code, but a code typed by someone else is not the learner's consent:
the leader sees nothing of them (access.may_see_mentee) until they answer "yes" at their next sign-in, or
a trainer confirms (the trainer asks them in person). "No" removes the row, as a trainer's decline does.

Functions flush and never commit; the request that calls them commits once. Every change is audited.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from civiclearn import access, codes
from civiclearn.accounts.models import User
from civiclearn.audit.services import record
from civiclearn.centres.models import Centre, Cohort, Enrolment
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.leaders.models import Mentee, PracticumSession
from civiclearn.leaders.services import Pathway, entry_passed, modules_finished, today
from civiclearn.learning.services import CourseStatuses

MAX_ATTENDEES = 200  # a session at a community centre; more is a typing slip
TEXT_LENGTH = 200  # place and topic (the columns' size)


class NotOnPathway(ValueError):
    """The practicum opens once the entry modules are passed."""


class FutureDate(ValueError):
    """A session is logged after it was run, so its date is today or before."""


class NotEnrolledThere(ValueError):
    """A leader's practicum is at a centre where they learn (its trainers confirm it)."""


class DuplicateSession(ValueError):
    """The same session (date, place, topic, centre) is already logged."""


class UnknownLearner(LookupError):
    """No learner of the centre has the code typed (a mentee is a learner of the leader's centre)."""


class SelfMentee(ValueError):
    """Leaders mentor other people."""


class AlreadyMentee(ValueError):
    """The learner is already on the leader's list."""


class AlreadyConfirmed(ValueError):
    """A confirmed session or mentee stays on the record: it can no longer be withdrawn or declined."""


def centres_of(person: User) -> list[Centre]:
    """The centres where the person is enrolled (where their practicum may be), by name."""
    return db.session.scalars(select(Centre).where(Centre.id.in_(
        select(Cohort.centre_id).join(Enrolment).where(Enrolment.person_id == person.id)))
        .order_by(Centre.name_th, Centre.id)).all()


def practicum_open(person: User, pathway: Pathway, known: CourseStatuses | None = None) -> bool:
    """Sessions and mentees are logged once the entry modules are passed (`known`: see entry_passed)."""
    return entry_passed(person, pathway, known)[0].met


def log_session(leader: User, centre: Centre, held_on: date, place: str, topic: str, attendees: int,
                pathway: Pathway) -> PracticumSession:
    """A session the leader ran, for the centre's trainer to confirm. Raises NotOnPathway, FutureDate,
    NotEnrolledThere, DuplicateSession."""
    if not 1 <= attendees <= MAX_ATTENDEES or not place or not topic:
        raise ValueError("attendees, place or topic out of range")  # the form checks these first
    if not practicum_open(leader, pathway):
        raise NotOnPathway
    if held_on > today():
        raise FutureDate
    if not access.is_enrolled_at(leader.id, centre.id):
        raise NotEnrolledThere
    db.session.execute(select(User.id).where(User.id == leader.id).with_for_update())  # a double click: one row
    if db.session.scalar(select(exists().where(
            PracticumSession.leader_id == leader.id, PracticumSession.centre_id == centre.id,
            PracticumSession.held_on == held_on, func.lower(PracticumSession.place) == place.lower(),
            func.lower(PracticumSession.topic) == topic.lower()))):
        raise DuplicateSession
    session = PracticumSession(leader_id=leader.id, centre_id=centre.id, held_on=held_on, place=place[:TEXT_LENGTH],
                               topic=topic[:TEXT_LENGTH], attendees=attendees)
    db.session.add(session)
    db.session.flush()
    record(leader, "leader.session.log", "person", leader.id, session=session.id, centre=centre.id,
           held_on=held_on.isoformat(), attendees=attendees)
    return session


def add_mentee(leader: User, centre: Centre, typed_code: str, pathway: Pathway) -> Mentee:
    """A learner of the centre the leader mentors, found by their learner code. Raises NotOnPathway,
    NotEnrolledThere, UnknownLearner, SelfMentee, AlreadyMentee."""
    if not practicum_open(leader, pathway):
        raise NotOnPathway
    if not access.is_enrolled_at(leader.id, centre.id):
        raise NotEnrolledThere
    code = codes.normalise(typed_code)
    person = db.session.scalar(select(User).where(User.learner_code == code, User.anonymised_at.is_(None))) \
        if codes.is_well_formed(code) else None
    if person is None or not access.is_enrolled_at(person.id, centre.id):
        raise UnknownLearner(code)  # the same answer either way: codes of other centres' learners reveal nothing
    if person.id == leader.id:
        raise SelfMentee
    mentee = Mentee(leader_id=leader.id, mentee_id=person.id, centre_id=centre.id)
    try:
        with db.session.begin_nested():
            db.session.add(mentee)
    except IntegrityError:  # on the list already (perhaps added by a double click a moment ago)
        raise AlreadyMentee(person.id) from None
    record(leader, "leader.mentee.add", "person", leader.id, mentee=person.id, centre=centre.id)
    return mentee


def withdraw(leader: User, row: PracticumSession | Mentee) -> None:
    """The leader takes back a session or mentee they logged by mistake, before it is confirmed.
    Raises AlreadyConfirmed."""
    _delete_unconfirmed(leader, row, "leader.withdraw")


def decline(actor: User, row: PracticumSession | Mentee) -> None:
    """A trainer declines a session or mentee they cannot confirm (it is removed from the leader's log,
    and the audit log keeps what it said). Raises AlreadyConfirmed."""
    _delete_unconfirmed(actor, row, "leader.decline")


def answer(mentee: User, row: Mentee | None, yes: bool) -> str:
    """The mentee's answer to a leader who says they helped them (`row`, None once it is gone): "agreed",
    "refused", "gone" (a "yes" with nothing left to answer: withdrawn, declined or refused before) or
    "confirmed" (a "no" after a trainer confirmed it, which stays). A double click ends as the first click did."""
    if row is None:
        return "refused" if not yes else "gone"
    if yes:
        agree(mentee, row)
        return "agreed"
    try:
        refuse(mentee, row)
    except AlreadyConfirmed:
        return "confirmed"
    return "refused"


def refuse(mentee: User, row: Mentee) -> None:
    """The mentee answers "no, they did not help me" (or takes back a "yes" a trainer has not confirmed yet): the
    row goes, as when a trainer declines it. The audit event is about the mentee (it is in their data, not the
    leader's). Raises AlreadyConfirmed."""
    _delete_unconfirmed(mentee, row, "leader.mentee.refuse", subject_id=mentee.id)


def agree(mentee: User, row: Mentee) -> bool:
    """The mentee answers "yes, they helped me": from now on the leader sees their name and progress.
    Answering again changes nothing. True if it was new."""
    done = db.session.execute(update(Mentee).where(Mentee.id == row.id, Mentee.agreed_at.is_(None))
                              .values(agreed_at=utcnow()).execution_options(synchronize_session="fetch"))
    if done.rowcount == 0:
        return False
    record(mentee, "leader.mentee.agree", "person", mentee.id, leader=row.leader_id, centre=row.centre_id)
    return True


def _delete_unconfirmed(actor: User, row: PracticumSession | Mentee, action: str,
                        subject_id: int | None = None) -> None:
    model = type(row)
    what = _described(row)
    gone = db.session.execute(delete(model).where(model.id == row.id, model.confirmed_at.is_(None))
                              .execution_options(synchronize_session=False))
    if gone.rowcount == 0:
        raise AlreadyConfirmed(row.id)
    db.session.expunge(row)
    record(actor, action, "person", subject_id or row.leader_id, **what)


def _described(row: PracticumSession | Mentee) -> dict:
    if isinstance(row, PracticumSession):
        return {"session": row.id, "centre": row.centre_id, "held_on": row.held_on.isoformat(), "place": row.place,
                "topic": row.topic, "attendees": row.attendees}
    return {"mentee": row.mentee_id, "centre": row.centre_id}


def confirm(actor: User, row: PracticumSession | Mentee) -> bool:
    """A trainer confirms a session or mentee; confirming again changes nothing. True if it was new."""
    model = type(row)
    done = db.session.execute(update(model).where(model.id == row.id, model.confirmed_at.is_(None))
                              .values(confirmed_at=utcnow(), confirmed_by_id=actor.id)
                              .execution_options(synchronize_session="fetch"))
    if done.rowcount == 0:
        return False
    action = "leader.session.confirm" if isinstance(row, PracticumSession) else "leader.mentee.confirm"
    record(actor, action, "person", row.leader_id, **_described(row))
    return True


# -- What the pages list ---------------------------------------------------------------------------

def sessions_of(leader: User) -> list[tuple[PracticumSession, Centre]]:
    """The leader's logged sessions, newest first, with their centre."""
    return db.session.execute(select(PracticumSession, Centre).join(Centre, Centre.id == PracticumSession.centre_id)
                              .where(PracticumSession.leader_id == leader.id)
                              .order_by(PracticumSession.held_on.desc(), PracticumSession.id.desc())).all()


@dataclass(frozen=True)
class MenteeRow:
    """A mentee as a list shows them: who, for whom, confirmed or not, and modules finished. On the leader's
    own list, a mentee who has not agreed yet is only the code the leader typed, masked."""

    row: Mentee
    leader: User
    mentee: User | None  # None: the leader may not see who it is yet
    finished: int | None  # of the pathway's mentee modules; None while `mentee` is
    code_hint: str = ""  # for the leader, while `mentee` is None


def masked(code: str | None) -> str:
    """A learner code with its last three characters hidden (CAT-•••): enough for the leader who typed it to
    tell their requests apart, and not the whole code for someone reading over their shoulder at a kiosk."""
    return codes.display(code[:3] + "•" * (len(code) - 3)) if code else ""


def mentees_of(leader: User, pathway: Pathway) -> list[MenteeRow]:
    """The leader's mentees in the order they were added: with their name and the mentee modules finished
    once the leader may see them, else only the code the leader typed (masked)."""
    rows = db.session.execute(select(Mentee, User).join(User, User.id == Mentee.mentee_id)
                              .where(Mentee.leader_id == leader.id).order_by(Mentee.id)).all()
    seen = {row.id for row, _mentee in rows if access.may_see_mentee(leader, row)}
    finished = modules_finished([mentee.id for row, mentee in rows if row.id in seen], pathway.mentee_modules())
    return [MenteeRow(row, leader, mentee, finished.get(mentee.id, 0)) if row.id in seen
            else MenteeRow(row, leader, None, None, masked(mentee.learner_code)) for row, mentee in rows]


@dataclass(frozen=True)
class MenteeRequest:
    """A leader's word that they helped a learner, for the learner to answer."""

    row: Mentee
    leader: User
    centre: Centre


def requests_to(person: User) -> list[MenteeRequest]:
    """What leaders say about `person` that they have not answered yet (nor a trainer confirmed), oldest first."""
    return [MenteeRequest(*found) for found in db.session.execute(
        select(Mentee, User, Centre).join(User, User.id == Mentee.leader_id).join(Centre, Centre.id == Mentee.centre_id)
        .where(Mentee.mentee_id == person.id, Mentee.agreed_at.is_(None), Mentee.confirmed_at.is_(None),
               User.anonymised_at.is_(None))
        .order_by(Mentee.id))]


def pending_sessions(centre: Centre) -> list[tuple[PracticumSession, User]]:
    """Sessions logged at the centre that no trainer has confirmed yet, oldest first, with their leader."""
    return db.session.execute(select(PracticumSession, User).join(User, User.id == PracticumSession.leader_id)
                              .where(PracticumSession.centre_id == centre.id, PracticumSession.confirmed_at.is_(None),
                                     User.anonymised_at.is_(None))
                              .order_by(PracticumSession.held_on, PracticumSession.id)).all()


def pending_mentees(centre: Centre, pathway: Pathway) -> list[MenteeRow]:
    """Mentees added at the centre that no trainer has confirmed yet, with their leader and progress."""
    leader_table = aliased(User)
    rows = db.session.execute(select(Mentee, leader_table, User).join(leader_table, leader_table.id == Mentee.leader_id)
                              .join(User, User.id == Mentee.mentee_id)
                              .where(Mentee.centre_id == centre.id, Mentee.confirmed_at.is_(None),
                                     leader_table.anonymised_at.is_(None), User.anonymised_at.is_(None))
                              .order_by(Mentee.id)).all()
    finished = modules_finished([mentee.id for _row, _leader, mentee in rows], pathway.mentee_modules())
    return [MenteeRow(row, leader, mentee, finished.get(mentee.id, 0)) for row, leader, mentee in rows]
