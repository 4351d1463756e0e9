"""Feedback rules: a learner's say on a module (one row, updated when sent again), the answer staff give,
and the figures staff see. Which rows a staff member may see is decided in `civiclearn.access`.

Functions flush and never commit; the request that calls them commits once.
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, aliased

from civiclearn import access
from civiclearn.accounts.models import RoleAssignment, User
from civiclearn.audit.services import record
from civiclearn.centres.models import Centre, Cohort, Enrolment
from civiclearn.courses.schema import Module
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.feedback.models import ModuleFeedback
from civiclearn.i18n import language
from civiclearn.schools.models import ClassMember, School, SchoolClass

RATINGS = range(1, 6)
COMMENT_LENGTH = 1000
REPLY_LENGTH = 2000


def feedback_of(learner: User, module: Module) -> ModuleFeedback | None:
    """The learner's own feedback on the module, if they gave any."""
    return db.session.scalar(select(ModuleFeedback).where(ModuleFeedback.person_id == learner.id,
                                                          ModuleFeedback.module_id == module.id))


def give(learner: User, module: Module, rating: int, comment: str, written_in: str) -> ModuleFeedback:
    """Save the learner's rating and comment: a new row the first time, the same row updated after.

    The INSERT runs in a savepoint: when the unique constraint refuses it (sent before, or a racing
    request won), the row is updated instead, so two racing sends end as one row. Flushes."""
    now = utcnow()
    said = {"rating": rating, "comment": comment, "language": written_in, "updated_at": now}
    feedback = ModuleFeedback(person_id=learner.id, module_id=module.id, created_at=now, **said)
    try:
        with db.session.begin_nested():
            db.session.add(feedback)
    except IntegrityError:
        mine = (ModuleFeedback.person_id == learner.id, ModuleFeedback.module_id == module.id)
        db.session.execute(update(ModuleFeedback).where(*mine).values(**said)
                           .execution_options(synchronize_session=False))
        # The UPDATE went round the session: read the row as written, not as the session last saw it.
        feedback = db.session.scalars(select(ModuleFeedback).where(*mine)
                                      .execution_options(populate_existing=True)).one()
    return feedback


def answer(actor: User, feedback: ModuleFeedback, reply: str) -> None:
    """Answer a learner's feedback (or change the answer); the learner sees it on the module page. Audited. Flushes."""
    edited = bool(feedback.reply)
    feedback.reply, feedback.replied_by_id, feedback.replied_at = reply, actor.id, utcnow()
    db.session.flush()
    record(actor, "feedback.answer", "person", feedback.person_id, feedback=feedback.id, module=feedback.module_id,
           edited=edited)


def answered_by(feedback: ModuleFeedback) -> str:
    """Who answered, as the learner knows them: a trainer of their centre, a teacher of their school, or
    the CivicLearn team (course owners and admins). Never the staff member's name."""
    learners_centres = select(Cohort.centre_id).join(Enrolment).where(Enrolment.person_id == feedback.person_id)
    centre = _place_of_answerer(feedback, "trainer", Centre, RoleAssignment.centre_id, learners_centres)
    if centre:
        return _("a trainer of %(centre)s", centre=centre.name(language()))
    learners_schools = (select(SchoolClass.school_id).join(ClassMember)
                        .where(ClassMember.person_id == feedback.person_id))
    school = _place_of_answerer(feedback, "teacher", School, RoleAssignment.school_id, learners_schools)
    if school:
        return _("a teacher of %(school)s", school=school.name(language()))
    return _("the CivicLearn team")


def _place_of_answerer(feedback: ModuleFeedback, role: str, place: type[Centre] | type[School],
                       role_place_id: InstrumentedAttribute[int | None],
                       learners_places: Select) -> Centre | School | None:
    """The first place (by id) among `learners_places` where whoever answered `feedback` holds `role`."""
    return db.session.scalar(
        select(place).join(RoleAssignment, role_place_id == place.id)
        .where(RoleAssignment.person_id == feedback.replied_by_id, RoleAssignment.role == role,
               place.id.in_(learners_places))
        .order_by(place.id).limit(1))


@dataclass
class Figures:
    """The ratings of one module that a staff member may see."""

    count: int = 0
    average: float | None = None
    unanswered: int = 0


def figures(viewer: User, modules: list[Module]) -> dict[int, Figures]:
    """Count, average rating and rows still without an answer, by module id, for what `viewer` may see."""
    rows = db.session.execute(
        select(ModuleFeedback.module_id, func.count(), func.avg(ModuleFeedback.rating),
               func.sum(case((ModuleFeedback.reply == "", 1), else_=0)))
        .where(ModuleFeedback.module_id.in_([module.id for module in modules]), access.feedback_in_reach(viewer))
        .group_by(ModuleFeedback.module_id))
    found = {module.id: Figures() for module in modules}
    for module_id, count, average, unanswered in rows:
        found[module_id] = Figures(count, round(float(average), 1), int(unanswered))
    return found


@dataclass
class Said:
    """One row of a module's feedback as staff see it."""

    feedback: ModuleFeedback
    learner: User
    linked: bool  # whether the learner's page is open to the viewer (course owners also see learners of no centre)
    answerer: User | None


def feedback_on(viewer: User, module: Module) -> list[Said]:
    """The module's feedback that `viewer` may see, newest first, with who wrote and who answered it."""
    learner, answerer = aliased(User), aliased(User)
    rows = db.session.execute(
        select(ModuleFeedback, learner,
               learner.anonymised_at.is_(None) & learner.id.in_(access.learners_in_reach(viewer)), answerer)
        .join(learner, learner.id == ModuleFeedback.person_id)
        .outerjoin(answerer, answerer.id == ModuleFeedback.replied_by_id)
        .where(ModuleFeedback.module_id == module.id, access.feedback_in_reach(viewer))
        .order_by(ModuleFeedback.updated_at.desc(), ModuleFeedback.id.desc()))
    return [Said(feedback, person, bool(linked), replier) for feedback, person, linked, replier in rows]
