"""The Digital Citizen Leader pathway (the rules are in the leader course's `leader_pathway`, see
docs/content-format.md): where a person stands on it, and the trainer's endorsement that issues (or
renews) the leader certificate. The practicum log itself is in civiclearn.leaders.practicum.

Functions flush and never commit; the request that calls them commits once. Every change is audited.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import exists, func, select

from civiclearn.accounts.models import User
from civiclearn.audit.services import record
from civiclearn.centres.models import Centre, Cohort, Enrolment
from civiclearn.certificates.models import LEADER_AWARD, Certificate
from civiclearn.certificates.services import Award, current_certificate, issue, local_date, reissue, status
from civiclearn.courses.schema import Course, LeaderPathway, Module
from civiclearn.courses.store import catalogue
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.leaders.models import Mentee, PracticumSession
from civiclearn.learning.models import LessonProgress, QuizAttempt
from civiclearn.learning.services import CourseStatuses, course_status

LEADER_TITLE_TH = "ผู้นำพลเมืองดิจิทัล"  # what the certificate awards, as printed
LEADER_TITLE_EN = "Digital Citizen Leader"
RENEWAL_NOTICE_DAYS = 90  # the leader is told, and a trainer may renew, from this many days before expiry


class PathwayUnavailable(LookupError):
    """No course that is being served has a leader pathway (or its entry course is not served)."""


class NotReady(ValueError):
    """The pathway is not complete, so there is nothing to endorse yet."""


class Revoked(ValueError):
    """The leader's certificate was revoked: staff reissue it on its own page, if they decide to."""


# -- The pathway and where a person stands on it ---------------------------------------------------

@dataclass(frozen=True)
class Pathway:
    """The served leader course, its pathway rules, and the courses those rules name."""

    course: Course
    rules: LeaderPathway
    entry_course: Course

    def entry_modules(self) -> list[Module]:
        return [module for key in self.rules.entry_modules if (module := self.entry_course.module(key))]

    def mentee_modules(self) -> list[Module]:
        return [module for key in self.rules.mentee_modules if (module := self.entry_course.module(key))]


def current_pathway() -> Pathway | None:
    """The leader pathway of the courses being served, or None when no served course has one."""
    served = catalogue()
    for course in served.courses:
        if course.leader_pathway is not None:
            entry = served.course(course.leader_pathway.entry_course)
            return Pathway(course, course.leader_pathway, entry) if entry is not None else None
    return None


@dataclass(frozen=True)
class Part:
    """One part of the pathway: how much is done of how much is needed."""

    done: int
    required: int

    @property
    def met(self) -> bool:
        return self.done >= self.required


@dataclass
class PathwayStatus:
    """Where a person stands on the pathway, part by part, with what is still missing in each."""

    pathway: Pathway
    entry: Part
    entry_missing: list[tuple[Module, int | None]]  # each module not yet passed well enough, with the best score
    course: Part
    course_missing: list[Module]
    sessions: Part  # confirmed sessions
    sessions_pending: int  # logged, waiting for a trainer
    mentees: Part  # confirmed mentees who finished the mentee modules
    mentees_asked: int  # added, the learner has not answered yet (and no trainer confirmed)
    mentees_pending: int  # the learner agreed, waiting for a trainer
    mentees_learning: int  # confirmed, still finishing the mentee modules
    parts_missing: list[str] = field(default_factory=list)  # "entry", "course", "sessions", "mentees"

    @property
    def complete(self) -> bool:
        return not self.parts_missing


def entry_passed(person: User, pathway: Pathway,
                 known: CourseStatuses | None = None) -> tuple[Part, list[tuple[Module, int | None]]]:
    """The entry modules passed with at least the pathway's score on each quiz, and those not yet. `known`: the
    person's statuses the page read already (`learning.services.course_statuses`), if they hold the entry course."""
    key = pathway.entry_course.key
    statuses = known[key] if known and key in known else course_status(person, pathway.entry_course)
    missing = []
    for module in pathway.entry_modules():
        module_status = statuses[module.key]
        if module.quiz is None:
            passed = module_status.complete
        else:
            passed = module_status.quiz_passed and (module_status.best_score or 0) >= pathway.rules.min_score
        if not passed:
            missing.append((module, module_status.best_score))
    required = len(pathway.rules.entry_modules)
    return Part(required - len(missing), required), missing


def pathway_status(person: User, pathway: Pathway | None = None) -> PathwayStatus:
    """The person's progress on every part of the pathway. Raises PathwayUnavailable."""
    pathway = pathway or current_pathway()
    if pathway is None:
        raise PathwayUnavailable
    entry, entry_missing = entry_passed(person, pathway)
    statuses = course_status(person, pathway.course)
    course_missing = [module for module in pathway.course.modules if not statuses[module.key].complete]
    logged, confirmed_sessions = db.session.execute(
        select(func.count(), func.count(PracticumSession.confirmed_at))
        .where(PracticumSession.leader_id == person.id)).one()
    mentees = db.session.execute(select(Mentee.mentee_id, Mentee.agreed_at, Mentee.confirmed_at)
                                 .where(Mentee.leader_id == person.id)).all()
    # Only what a trainer confirmed counts. Confirming counts as the learner's agreement (asked in person), so
    # nobody counts without agreeing; the learner's own "yes" shows them to the leader, but is not the check.
    confirmed = [mentee_id for mentee_id, _agreed_at, confirmed_at in mentees if confirmed_at is not None]
    asked = sum(1 for _mentee_id, agreed_at, confirmed_at in mentees if agreed_at is None and confirmed_at is None)
    finished = finished_mentees(confirmed, pathway)
    found = PathwayStatus(
        pathway=pathway, entry=entry, entry_missing=entry_missing,
        course=Part(len(pathway.course.modules) - len(course_missing), len(pathway.course.modules)),
        course_missing=course_missing,
        sessions=Part(confirmed_sessions, pathway.rules.sessions), sessions_pending=logged - confirmed_sessions,
        mentees=Part(len(finished), pathway.rules.mentees), mentees_asked=asked,
        mentees_pending=len(mentees) - len(confirmed) - asked, mentees_learning=len(confirmed) - len(finished))
    found.parts_missing = [name for name, part in (("entry", found.entry), ("course", found.course),
                                                   ("sessions", found.sessions), ("mentees", found.mentees))
                           if not part.met]
    return found


def modules_finished(person_ids: list[int], modules: list[Module]) -> dict[int, int]:
    """How many of `modules` each person has finished (every lesson done, the quiz passed), in two queries."""
    if not person_ids or not modules:
        return {}
    lesson_module = {lesson.id: module.key for module in modules for lesson in module.lessons}
    quiz_module = {module.quiz.id: module.key for module in modules if module.quiz}
    done: dict[int, dict[str, int]] = {person_id: {} for person_id in person_ids}
    for person_id, lesson_id in db.session.execute(
            select(LessonProgress.user_id, LessonProgress.lesson_id)
            .where(LessonProgress.user_id.in_(person_ids), LessonProgress.lesson_id.in_(lesson_module),
                   LessonProgress.completed_at.is_not(None))):
        steps = done[person_id]
        steps[lesson_module[lesson_id]] = steps.get(lesson_module[lesson_id], 0) + 1
    for person_id, quiz_id in db.session.execute(
            select(QuizAttempt.user_id, QuizAttempt.quiz_id).distinct()
            .where(QuizAttempt.user_id.in_(person_ids), QuizAttempt.quiz_id.in_(quiz_module), QuizAttempt.passed)):
        steps = done[person_id]
        steps[quiz_module[quiz_id]] = steps.get(quiz_module[quiz_id], 0) + 1
    needed = {module.key: len(module.lessons) + (1 if module.quiz else 0) for module in modules}
    return {person_id: sum(1 for key, count in steps.items() if count >= needed[key])
            for person_id, steps in done.items()}


def finished_mentees(person_ids: list[int], pathway: Pathway) -> list[int]:
    """Those of `person_ids` who have finished every mentee module."""
    modules = pathway.mentee_modules()
    counts = modules_finished(person_ids, modules)
    return [person_id for person_id in person_ids if counts.get(person_id, 0) >= len(modules)]


# -- The leader certificate and its standing -------------------------------------------------------

def today() -> date:
    """Today as Thailand sees it (the dates of sessions, issues and expiries)."""
    return local_date(utcnow())


def add_years(start: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a year without one (the
    certificate then ends a day early rather than running into March)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def leader_award() -> Award:
    return Award(LEADER_AWARD, LEADER_TITLE_TH, LEADER_TITLE_EN)


@dataclass(frozen=True)
class Standing:
    """A person's leader certificate as they and their trainers see it."""

    certificate: Certificate
    state: str  # "valid", "expired" or "revoked"
    renew_from: date | None  # when a trainer may renew it (RENEWAL_NOTICE_DAYS before it expires)
    renewal_due: bool  # expired, or within the notice period: the trainer may renew it now


def standing(person: User, on: date | None = None) -> Standing | None:
    """The person's current leader certificate and its state, or None if they never held one."""
    held = current_certificate(person.id, LEADER_AWARD)
    if held is None:
        return None
    on = on or today()
    state = status(held, on)
    renew_from = held.expires_on - timedelta(days=RENEWAL_NOTICE_DAYS) if held.expires_on else None
    return Standing(held, state, renew_from, state != "revoked" and renew_from is not None and on >= renew_from)


@dataclass(frozen=True)
class Endorsement:
    """What an endorsement did: issued the first certificate, renewed one, or nothing (already held)."""

    certificate: Certificate
    outcome: str  # "issued", "renewed" or "held"


def endorse(actor: User, leader: User, centre: Centre, on: date | None = None) -> Endorsement:
    """A trainer's endorsement of a leader whose pathway is complete: the leader certificate, issued by
    `centre`, valid for the leader course's `valid_years`. When the leader's certificate has expired or is within
    RENEWAL_NOTICE_DAYS of expiring, the endorsement renews it: a new certificate replaces it, valid
    from the old expiry (or today, if it has passed), so renewing early loses no days. Otherwise, and
    when sent twice, it changes nothing. Raises NotReady, Revoked."""
    on = on or today()
    pathway = current_pathway()
    if pathway is None:
        raise NotReady(leader.id)
    # One endorsement of a person at a time (PostgreSQL; SQLite writes one transaction at a time anyway).
    db.session.execute(select(User.id).where(User.id == leader.id).with_for_update())
    held = standing(leader, on)
    if held is not None and held.state == "revoked":
        raise Revoked(held.certificate.code)
    if held is not None and not held.renewal_due:
        return Endorsement(held.certificate, "held")
    years = pathway.rules.valid_years  # the leader course's `valid_years`
    if held is not None:
        return Endorsement(renew(actor, held.certificate, centre, on, years), "renewed")
    if not pathway_status(leader, pathway).complete:  # the first certificate: the whole pathway done
        raise NotReady(leader.id)
    certificate = issue(leader, leader_award(), actor=actor, issuer=centre, expires_on=add_years(on, years))
    record(actor, "leader.endorse", "person", leader.id, certificate=certificate.code, centre=centre.id,
           expires_on=certificate.expires_on.isoformat())
    return Endorsement(certificate, "issued")


def renew(actor: User, old: Certificate, centre: Centre, on: date, years: int) -> Certificate:
    """Replace an expiring (or expired) leader certificate with a new one, valid from the old expiry
    (or from `on`, if it has passed). A racing renewal gets the replacement the other one made."""
    new = reissue(actor, old, issuer=centre, expires_on=add_years(max(on, old.expires_on), years))
    record(actor, "leader.renew", "person", old.person_id, certificate=old.code, replacement=new.code,
           centre=centre.id, expires_on=new.expires_on.isoformat())
    return new


@dataclass(frozen=True)
class LeaderRow:
    """A leader (or leader to be) of a centre as the trainer's page lists them."""

    person: User
    progress: PathwayStatus
    standing: Standing | None

    @property
    def endorsable(self) -> bool:
        """The trainer may endorse now: a first certificate for a complete pathway, or a renewal."""
        if self.standing is None:
            return self.progress.complete
        return self.standing.renewal_due


def leaders_of(centre: Centre, pathway: Pathway) -> list[LeaderRow]:
    """The centre's learners who have started the practicum or hold a leader certificate, those the
    trainer may endorse now first, then by name."""
    people = db.session.scalars(
        select(User).where(
            User.id.in_(select(Enrolment.person_id).join(Cohort).where(Cohort.centre_id == centre.id)),
            User.anonymised_at.is_(None),
            exists().where(PracticumSession.leader_id == User.id)
            | exists().where(Mentee.leader_id == User.id)
            | exists().where(Certificate.person_id == User.id, Certificate.award == LEADER_AWARD))
        .order_by(User.display_name, User.id)).all()
    on = today()
    found = [LeaderRow(person, pathway_status(person, pathway), standing(person, on)) for person in people]
    return sorted(found, key=lambda leader: not leader.endorsable)
