"""Civic action rules: logging what a learner did for real (themselves, or a leader for them with their consent),
changing and deleting it, the one-time "what happened?" question 30 days on, and what the staff of the learner's
centre read of it. Who may see which action is decided in `civiclearn.access`.

Counting is meant to be plain SQL over `civic_action`: by `kind`, `channel`, the month of `done_on`, and the
district of the learner's centre (enrolment -> cohort -> centre.district), as the overview counts learners.
An action never counts towards a certificate.

Functions flush and never commit; the request that calls them commits once.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from civiclearn import access, codes
from civiclearn.accounts.models import User
from civiclearn.audit.services import record
from civiclearn.centres.models import Centre, Cohort, Enrolment
from civiclearn.civic.models import CivicAction
from civiclearn.courses.schema import Module
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.leaders import practicum
from civiclearn.leaders import services as leaders
from civiclearn.leaders.models import Mentee

# The modules about a channel to the local government (LGO): their "module finished" page offers to log an action.
CIVIC_MODULES = frozenset({
    ("digital-citizen", "report-a-problem"), ("digital-citizen", "shape-your-plan"),
    ("digital-citizen", "follow-the-money"), ("getting-started", "take-part"),
    ("safe-and-simple", "report-with-one-photo"), ("citizen-leader", "village-forum-helper"),
})
KIND_LABELS = {
    "reported_problem": _l("I reported a problem (a road, light, rubbish, water...)"),
    "joined_forum_or_hearing": _l("I joined a village forum or a public hearing"),
    "commented_on_plan": _l("I commented on the local development plan"),
    "asked_for_information": _l("I asked for public information"),
    "helped_someone": _l("I helped someone else do one of these"),
}
KIND_NAMES = {  # as others read them: reports, the overview
    "reported_problem": _l("Reported a problem"),
    "joined_forum_or_hearing": _l("Joined a village forum or a public hearing"),
    "commented_on_plan": _l("Commented on the local development plan"),
    "asked_for_information": _l("Asked for public information"),
    "helped_someone": _l("Helped someone else do one of these"),
}
CHANNEL_LABELS = {
    "traffy_fondue": _l("Traffy Fondue"),
    "hotline_1111": _l("1111 (the government's call centre)"),
    "lgo_line_or_page": _l("The LINE or Facebook page of my local government"),
    "in_person": _l("In person"),
    "phone": _l("By phone"),
    "other": _l("Another way"),
}
OUTCOME_LABELS = {
    "fixed": _l("It was fixed or answered"),
    "in_progress": _l("It is being worked on"),
    "no_answer": _l("No answer yet"),
    "dont_know": _l("I don't know"),
}
CONSENT_LABELS = {
    "in_person": _l("They said yes to me in person"),
    "by_phone": _l("They said yes to me on the phone"),
}
FIRST_DAY = date(2020, 1, 1)  # older is a typing slip: Traffy Fondue and the LGO pages came later
FOLLOW_UP_DAYS = 30


class UnknownLearner(LookupError):
    """The person a leader logs for is neither among those they help nor a learner of their centres."""


class NotALeader(PermissionError):
    """Only a Digital Citizen Leader (certified, or on the pathway's practicum) logs for someone else."""


@dataclass(frozen=True)
class Details:
    """What the learner says they did; the forms check each part first."""

    kind: str
    channel: str
    done_on: date
    case_number: str = ""
    note: str = ""


def offers_logging(module: Module) -> bool:
    """Whether the module's "finished" page offers to log an action: it is about a channel to the local government."""
    return (module.course.key, module.key) in CIVIC_MODULES


def log(person: User, details: Details, token: str, module: Module | None = None, *,
        logged_by: User | None = None, consent_how: str | None = None) -> CivicAction:
    """Log an action that counts for `person`. The same form sent twice (same token) is the first row, however the
    two requests race: the INSERT runs in a savepoint and the unique constraint refuses the second. A leader's log
    for someone carries the person's consent (when: now; how: `consent_how`) and is audited. Flushes."""
    now = utcnow()
    action = CivicAction(person_id=person.id, token=token, module_id=module.id if module else None,
                         created_at=now, updated_at=now, **vars(details))
    if logged_by is not None:
        action.logged_by_id, action.consent_at, action.consent_how = logged_by.id, now, consent_how
    try:
        with db.session.begin_nested():
            db.session.add(action)
    except IntegrityError:
        return db.session.scalars(select(CivicAction).where(CivicAction.person_id == person.id,
                                                            CivicAction.token == token)).one()
    if logged_by is not None:
        record(logged_by, "civic.log_for", "person", person.id, civic_action=action.id, consent=consent_how)
    return action


def change(action: CivicAction, details: Details, outcome: str | None) -> None:
    """The learner corrects their action, or says what came of it (which also answers the 30-day question). Flushes."""
    for name, value in vars(details).items():
        setattr(action, name, value)
    now = utcnow()
    if outcome != action.outcome:
        action.outcome, action.outcome_at = outcome, now if outcome else None
    if outcome and action.asked_outcome_at is None:
        action.asked_outcome_at = now
    action.updated_at = now
    db.session.flush()


def remove(action: CivicAction) -> None:
    """Delete the learner's action (their own choice: nothing else depends on it). Flushes."""
    db.session.delete(action)
    db.session.flush()


@dataclass(frozen=True)
class Logged:
    """An action as the learner's list shows it, with the leader who logged it for them, if one did."""

    action: CivicAction
    leader: User | None


def actions_of(person: User) -> list[Logged]:
    """The person's actions, latest first, with the leader who logged any of them."""
    leader = aliased(User)
    return [Logged(action, by) for action, by in db.session.execute(
        select(CivicAction, leader).outerjoin(leader, leader.id == CivicAction.logged_by_id)
        .where(CivicAction.person_id == person.id)
        .order_by(CivicAction.done_on.desc(), CivicAction.id.desc()))]


def question_for(person: User) -> CivicAction | None:
    """The action to ask "what happened?" about, if any: the oldest logged at least FOLLOW_UP_DAYS ago (so done as
    long ago too, the day being no later than the log) with no outcome yet and never asked. One query."""
    due = utcnow() - timedelta(days=FOLLOW_UP_DAYS)
    return db.session.scalar(select(CivicAction).where(
        CivicAction.person_id == person.id, CivicAction.outcome.is_(None), CivicAction.asked_outcome_at.is_(None),
        CivicAction.created_at <= due).order_by(CivicAction.done_on, CivicAction.id).limit(1))


def answer_question(action: CivicAction, outcome: str | None) -> None:
    """The learner's answer to "what happened?" (None: "answer later"): either way they are not asked again, and
    can still say it from their list. A second answer to the question changes nothing. Flushes."""
    if action.asked_outcome_at is not None:
        return
    now = utcnow()
    action.asked_outcome_at = now
    if outcome:
        action.outcome, action.outcome_at, action.updated_at = outcome, now, now
    db.session.flush()


# -- What the staff of the learner's centre read ------------------------------------------------------------

@dataclass(frozen=True)
class CentreAction:
    """An action in a centre's list, with the learner it counts for."""

    action: CivicAction
    learner: User


def centre_actions(viewer: User, centre: Centre) -> list[CentreAction]:
    """The actions of the centre's learners (those who have not deleted their data) that `viewer` may see, latest
    first: the one list the page and its spreadsheet show."""
    enrolled = select(Enrolment.person_id).join(Cohort).where(Cohort.centre_id == centre.id)
    return [CentreAction(action, learner) for action, learner in db.session.execute(
        select(CivicAction, User).join(User, User.id == CivicAction.person_id)
        .where(CivicAction.person_id.in_(enrolled), User.anonymised_at.is_(None),
               access.civic_actions_in_reach(viewer))
        .order_by(CivicAction.done_on.desc(), CivicAction.id.desc()))]


def counts_by_person(ids) -> dict[int, int]:
    """How many actions each of the people `ids` (a list or a select of ids) logged: one grouped query."""
    return dict(db.session.execute(select(CivicAction.person_id, func.count())
                                   .where(CivicAction.person_id.in_(ids)).group_by(CivicAction.person_id)).all())


# -- Leaders logging for the people they help --------------------------------------------------------------

def is_leader(person: User) -> bool:
    """A Digital Citizen Leader: holding a leader certificate, or on the pathway's practicum (entry passed)."""
    if leaders.standing(person) is not None:
        return True
    pathway = leaders.current_pathway()
    return pathway is not None and practicum.practicum_open(person, pathway)


def people_helped(leader: User) -> list[User]:
    """The leader's mentees who said yes (or a trainer confirmed): those the leader may name, by name."""
    rows = db.session.execute(select(Mentee, User).join(User, User.id == Mentee.mentee_id)
                              .where(Mentee.leader_id == leader.id, User.anonymised_at.is_(None))
                              .order_by(User.display_name, User.id)).all()
    return [person for row, person in rows if access.may_see_mentee(leader, row)]


def person_to_log_for(leader: User, mentee_id: int | None, typed_code: str) -> User:
    """Who a leader logs for: one of `people_helped`, or a learner (not themselves) of a centre where the leader is
    enrolled, found by their learner code. Raises NotALeader, UnknownLearner (the same for a code of another
    centre's learner as for no learner: codes reveal nothing)."""
    if not is_leader(leader):
        raise NotALeader
    if mentee_id is not None:
        found = next((person for person in people_helped(leader) if person.id == mentee_id), None)
    else:
        code = codes.normalise(typed_code)
        leaders_centres = select(Cohort.centre_id).join(Enrolment).where(Enrolment.person_id == leader.id)
        found = db.session.scalar(
            select(User).join(Enrolment, Enrolment.person_id == User.id).join(Cohort)
            .where(User.learner_code == code, User.anonymised_at.is_(None), User.id != leader.id,
                   Cohort.centre_id.in_(leaders_centres)).limit(1)) if codes.is_well_formed(code) else None
    if found is None:
        raise UnknownLearner
    return found


@dataclass(frozen=True)
class HelpGiven:
    """An action a leader logged for someone, named as the leader may know them: by name when the person said yes
    to being their mentee, else by their learner code, masked."""

    action: CivicAction
    shown_as: str


def logged_by(leader: User) -> list[HelpGiven]:
    """What the leader logged for others, latest first: their help given, as evidence on their pathway page."""
    named = {person.id for person in people_helped(leader)}
    return [HelpGiven(action, person.display_name if person.id in named else practicum.masked(person.learner_code))
            for action, person in db.session.execute(
                select(CivicAction, User).join(User, User.id == CivicAction.person_id)
                .where(CivicAction.logged_by_id == leader.id)
                .order_by(CivicAction.done_on.desc(), CivicAction.id.desc()))]
