"""Who may see what: the one place that decides it.

- Course pages and teacher guides are public; learning needs a signed-in person.
- A learner sees only themselves (their progress, attempts and data).
- A trainer sees the centres they train at, and the learners enrolled there.
- A teacher sees the classes of their schools, and the learners in them; an LMS instructor, teacher of one class
  only (the LMS course they launched CivicLearn from), sees that class and its learners.
- An admin sees everything in their scope: all, a province, or a district of a province.
- A certificate: its holder may download it; staff of the place that issued it manage it (revoke,
  reissue); anyone may verify it, seeing only its holder's name, award, date and issuer.
- Certificates in bulk: trainers of a cohort's centre, teachers of a class's school, admins in scope.
- A leader's practicum: the leader logs and withdraws their own; staff of the centre where it was
  logged confirm or decline it; staff of a centre where the leader learns endorse them. Never themselves.
  A leader adds a mentee by their learner code, and sees nothing of them (name, progress) until the
  mentee says yes, or a trainer confirms it (after asking them in person); only the mentee answers.
- Feedback on a module: a learner who opened one of its lessons gives theirs; staff who may see that
  learner read and answer it, and the course owners (admins of everything) all of it. Never their own.
- A civic action (something a learner did for real): the learner sees, changes and deletes their own; a leader who
  logged it for them (with their consent) sees it in their own list (civic.services.logged_by); trainers of a
  centre where the learner is enrolled (and admins over that centre) see it, read only. Nobody else, teachers
  included: it is not schoolwork.
- Comment themes: staff who may read module feedback, each over the comments they may read (never names).
Views ask here; when the answer is no, they answer 404, so an id that is guessed reveals nothing.
"""

from collections.abc import Collection
from dataclasses import dataclass, field

from flask import abort, flash, g, redirect, request
from flask_login import current_user, login_url
from sqlalchemy import exists, or_, select

from civiclearn.accounts.models import RoleAssignment, User
from civiclearn.centres.models import Centre, Cohort, Enrolment
from civiclearn.certificates.models import Certificate, CertificateBatch
from civiclearn.civic.models import CivicAction
from civiclearn.courses.schema import Module
from civiclearn.extensions import db, login_manager
from civiclearn.feedback.models import ModuleFeedback
from civiclearn.leaders.models import Mentee, PracticumSession
from civiclearn.learning.models import LessonProgress, QuizAttempt
from civiclearn.schools.models import ClassMember, School, SchoolClass

PUBLIC_LEARNING_PAGES = frozenset({"learning.home", "learning.catalogue", "learning.course", "learning.module",
                                   "learning.guide", "learning.handout_pdf"})


@dataclass
class Roles:
    """A person's roles, read once per request."""

    admin_scopes: list[tuple[str | None, str | None]] = field(default_factory=list)  # (province, district); None = all
    centres: set[int] = field(default_factory=set)  # where they train
    schools: set[int] = field(default_factory=set)  # where they teach
    classes: set[int] = field(default_factory=set)  # single classes they teach (an LMS instructor's course)

    @property
    def staff(self) -> bool:
        return bool(self.admin_scopes or self.centres or self.schools or self.classes)


def roles(user: User) -> Roles:
    if not getattr(user, "is_authenticated", False):
        return Roles()
    cached = g.get("civiclearn_roles")
    if cached is not None and cached[0] == user.id:
        return cached[1]
    found = Roles()
    for assignment in db.session.scalars(select(RoleAssignment).where(RoleAssignment.person_id == user.id)):
        if assignment.role == "admin":
            found.admin_scopes.append((assignment.province, assignment.district))
        elif assignment.role == "trainer" and assignment.centre_id:
            found.centres.add(assignment.centre_id)
        elif assignment.role == "teacher" and assignment.class_id:
            found.classes.add(assignment.class_id)
        elif assignment.role == "teacher" and assignment.school_id:
            found.schools.add(assignment.school_id)
    g.civiclearn_roles = (user.id, found)
    return found


def in_admin_scope(user: User, province: str | None, district: str | None) -> bool:
    """Whether a place, or an admin scope (None = everything), lies inside one of `user`'s admin scopes:
    an admin of a province holds it and its districts; only an admin of everything holds everything."""
    return any(scope_province is None or (scope_province == province and scope_district in (None, district))
               for scope_province, scope_district in roles(user).admin_scopes)


def is_admin(user: User) -> bool:
    return bool(roles(user).admin_scopes)


def may_manage_centre(user: User, centre: Centre) -> bool:
    return centre.id in roles(user).centres or in_admin_scope(user, centre.province, centre.district)


def may_manage_school(user: User, school: School) -> bool:
    return school.id in roles(user).schools or in_admin_scope(user, school.province, school.district)


def may_manage_class(user: User, school_class: SchoolClass) -> bool:
    return school_class.id in roles(user).classes or may_manage_school(user, school_class.school)


def may_view_learner(user: User, learner: User) -> bool:
    """The learner themselves, a trainer of a centre they are enrolled at, a teacher of a class they are
    in, or an admin whose scope holds one of those centres or schools."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.id == learner.id:
        return True
    found = roles(user)
    if not found.staff:
        return False
    centres = db.session.scalars(
        select(Centre).join(Cohort).join(Enrolment).where(Enrolment.person_id == learner.id)).all()
    if any(may_manage_centre(user, centre) for centre in centres):
        return True
    classes = db.session.scalars(
        select(SchoolClass).join(ClassMember).where(ClassMember.person_id == learner.id)).all()
    return any(may_manage_class(user, school_class) for school_class in classes)


def admin_areas(user: User, province_column, district_column):
    """SQL: a row whose province and district lie inside one of `user`'s admin scopes."""
    scopes = roles(user).admin_scopes
    if any(province is None for province, _district in scopes):
        return db.true()
    return db.or_(db.false(), *((province_column == province) & (district_column == district) if district
                                else province_column == province for province, district in scopes))


def centres_managed(user: User):
    """A query of the centres `user` may manage (for lists and searches)."""
    return select(Centre).where(Centre.id.in_(roles(user).centres)
                                | admin_areas(user, Centre.province, Centre.district))


def schools_managed(user: User):
    """A query of the schools `user` may manage."""
    return select(School).where(School.id.in_(roles(user).schools)
                                | admin_areas(user, School.province, School.district))


def may_grant(actor: User, role: str, centre_id: int | None = None, school_id: int | None = None,
              province: str | None = None, district: str | None = None) -> bool:
    """Whether `actor` may give (or take away) this role: a trainer at a centre they manage, a teacher
    at a school they manage, an admin of a scope inside their own."""
    if role == "trainer":
        centre = db.session.get(Centre, centre_id) if centre_id else None
        return centre is not None and may_manage_centre(actor, centre)
    if role == "teacher":
        school = db.session.get(School, school_id) if school_id else None
        return school is not None and may_manage_school(actor, school)
    return role == "admin" and in_admin_scope(actor, province, district)


def may_revoke(actor: User, assignment: RoleAssignment) -> bool:
    """Within scope, and never one's own admin role (the last admin of everything cannot lock everyone out)."""
    if assignment.role == "admin" and assignment.person_id == actor.id:
        return False
    return may_grant(actor, assignment.role, assignment.centre_id, assignment.school_id,
                     assignment.province, assignment.district)


def roles_within(user: User):
    """SQL: a role assignment inside `user`'s admin scope (at a centre or school they manage, or an
    admin scope inside theirs)."""
    return or_(RoleAssignment.centre_id.in_(centres_managed(user).with_only_columns(Centre.id)),
               RoleAssignment.school_id.in_(schools_managed(user).with_only_columns(School.id)),
               (RoleAssignment.role == "admin") & admin_areas(user, RoleAssignment.province, RoleAssignment.district))


def staff_managed(user: User):
    """A query of the staff accounts `user` administers: those holding a role inside their scope, and
    new accounts that hold no role yet (so that a scoped admin can give them their first)."""
    holds = select(RoleAssignment.id).where(RoleAssignment.person_id == User.id)
    return select(User).where(User.password_hash.is_not(None), User.anonymised_at.is_(None),
                              exists(holds.where(roles_within(user))) | ~exists(holds))


def is_enrolled_at(learner_id: int, centre_id: int) -> bool:
    return db.session.scalar(select(exists().where(
        Enrolment.person_id == learner_id, Enrolment.cohort_id == Cohort.id, Cohort.centre_id == centre_id)))


def guard_learning(endpoint: str | None):
    """before_request of the learning pages: everything but the public pages needs a signed-in person."""
    if endpoint not in PUBLIC_LEARNING_PAGES and not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def require_signed_in():
    """before_request of a learner's own pages: a signed-in person, or the sign-in page."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def require_staff():
    """before_request of staff pages: a signed-in person with a staff role, or the staff sign-in page."""
    if not current_user.is_authenticated:
        flash(login_manager.login_message, login_manager.login_message_category)
        return redirect(login_url("accounts.staff_sign_in", request.url))
    if not roles(current_user).staff:
        abort(404)
    return None


def require_admin():
    """before_request of admin pages: only admins; anyone else signed in gets 404, as if the pages did not exist."""
    sign_in_first = require_staff()
    if sign_in_first:
        return sign_in_first
    authorise(is_admin(current_user))
    return None


def require_programme_admin():
    """before_request of the pages that speak for the whole programme (LMS registrations, the credentials' issuer and
    key): only admins of everything."""
    sign_in_first = require_admin()
    if sign_in_first:
        return sign_in_first
    authorise(is_course_owner(current_user))
    return None


def admin_context() -> dict:
    """For the admin pages' templates (a blueprint's context processor): the areas the signed-in admin runs."""
    return {"admin_areas": roles(current_user).admin_scopes}


def may_manage_certificate(user: User, certificate: Certificate) -> bool:
    """Staff of the place that issued it (its centre or school, or an admin over that place); for a
    certificate of no place, staff who may see its holder. Never the holder themselves."""
    if not roles(user).staff or user.id == certificate.person_id:
        return False
    if certificate.centre_id:
        return may_manage_centre(user, db.session.get(Centre, certificate.centre_id))
    if certificate.school_id:
        return may_manage_school(user, db.session.get(School, certificate.school_id))
    return may_view_learner(user, db.session.get(User, certificate.person_id))


def may_download_certificate(user: User, certificate: Certificate) -> bool:
    return getattr(user, "is_authenticated", False) and (
        user.id == certificate.person_id or may_manage_certificate(user, certificate))


def may_issue_certificates(user: User, group: Cohort | SchoolClass) -> bool:
    """The certificates of a whole cohort (trainers of its centre) or class (teachers of its school); admins in scope."""
    if isinstance(group, Cohort):
        return may_manage_centre(user, group.centre)
    return may_manage_class(user, group)


def may_manage_batch(user: User, batch: CertificateBatch) -> bool:
    """A batch of certificates (its progress, its files full of names): whoever may issue them for its group."""
    group = db.session.get(Cohort, batch.cohort_id) if batch.cohort_id else db.session.get(SchoolClass, batch.class_id)
    return group is not None and may_issue_certificates(user, group)


def may_change_practicum(user: User, row: PracticumSession | Mentee) -> bool:
    """A session or mentee in a leader's practicum log: only the leader withdraws it."""
    return getattr(user, "is_authenticated", False) and row.leader_id == user.id


def may_confirm_practicum(user: User, centre: Centre, leader_id: int) -> bool:
    """Staff of the centre where a leader's session or mentee was logged confirm or decline it."""
    return user.id != leader_id and may_manage_centre(user, centre)


def may_see_mentee(user: User, row: Mentee) -> bool:
    """Who a mentee is and how far they got: the mentee; their leader only once the mentee agreed or a trainer
    confirmed it (a code typed by the leader is not the learner's consent); staff who may see the learner."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.id == row.mentee_id:
        return True
    if user.id == row.leader_id:
        return row.agreed_at is not None or row.confirmed_at is not None
    return may_view_learner(user, db.session.get(User, row.mentee_id))


def may_answer_mentee_request(user: User, row: Mentee) -> bool:
    """Only the learner a leader says they helped answers whether it is true."""
    return getattr(user, "is_authenticated", False) and row.mentee_id == user.id


def may_endorse_leader(user: User, leader: User, centre: Centre) -> bool:
    """Staff of a centre where the leader learns endorse them (and renew their leader certificate)."""
    return user.id != leader.id and may_manage_centre(user, centre) and is_enrolled_at(leader.id, centre.id)


def may_view_attempt(user: User, attempt: QuizAttempt) -> bool:
    return user.is_authenticated and attempt.user_id == user.id


def may_give_feedback(user: User, module: Module, opened: Collection[str] | None = None) -> bool:
    """A learner who opened at least one lesson of the module (`opened`: the keys of those they opened, when the
    page read them already). Not staff-only accounts: staff trying a module out would skew the ratings learners
    give."""
    if not (getattr(user, "is_authenticated", False) and user.learner_code is not None):
        return False
    if opened is not None:
        return bool(opened)
    return bool(db.session.scalar(select(exists().where(
        LessonProgress.user_id == user.id, LessonProgress.lesson_id.in_([lesson.id for lesson in module.lessons])))))


def is_course_owner(user: User) -> bool:
    """An admin of everything: the courses are theirs, so is what every learner says about them."""
    return any(province is None for province, _district in roles(user).admin_scopes)


def learners_in_reach(user: User):
    """SQL: the ids of the learners `user` may see as staff (may_view_learner's rule, for lists): enrolled at
    a centre they manage, or in a class of a school they manage."""
    centres = centres_managed(user).with_only_columns(Centre.id)
    schools = schools_managed(user).with_only_columns(School.id)
    return (select(Enrolment.person_id).join(Cohort).where(Cohort.centre_id.in_(centres))
            .union(select(ClassMember.person_id).join(SchoolClass).where(
                SchoolClass.school_id.in_(schools) | SchoolClass.id.in_(roles(user).classes))))


def may_answer_feedback(user: User, feedback: ModuleFeedback) -> bool:
    """Read and answer a learner's feedback: staff who may see the learner, and the course owners, who may
    see all of it; never the writer themselves. feedback_in_reach is the same rule, for lists."""
    if not roles(user).staff or user.id == feedback.person_id:
        return False
    return is_course_owner(user) or may_view_learner(user, db.session.get(User, feedback.person_id))


def feedback_in_reach(user: User):
    """SQL: the feedback rows `user` may read and answer (may_answer_feedback's rule)."""
    if not roles(user).staff:
        return db.false()
    not_own = ModuleFeedback.person_id != user.id
    return not_own if is_course_owner(user) else not_own & ModuleFeedback.person_id.in_(learners_in_reach(user))


def may_change_civic_action(user: User, action: CivicAction) -> bool:
    """Change, answer or delete a civic action: only the learner it counts for (a leader's word is logged once)."""
    return getattr(user, "is_authenticated", False) and action.person_id == user.id


def may_see_themes(user: User) -> bool:
    """The comment themes page: any staff member; what it groups is only the feedback in their reach
    (feedback_in_reach), so a teacher's themes hold their classes' comments and nothing more."""
    return roles(user).staff


def may_see_civic_actions_of(user: User, learner: User) -> bool:
    """A learner's civic actions, read only, on their staff page: staff who manage a centre where they are
    enrolled (civic_actions_in_reach is the same rule, for lists). Teachers of their class do not: not schoolwork."""
    return roles(user).staff and user.id != learner.id and db.session.scalar(select(exists().where(
        Enrolment.person_id == learner.id, Enrolment.cohort_id == Cohort.id,
        Cohort.centre_id.in_(centres_managed(user).with_only_columns(Centre.id)))))


def civic_actions_in_reach(user: User):
    """SQL: the civic actions `user` may see as staff (may_see_civic_actions_of's rule): of learners enrolled at a
    centre they manage; never their own."""
    if not roles(user).staff:
        return db.false()
    centres = centres_managed(user).with_only_columns(Centre.id)
    return (CivicAction.person_id != user.id) & CivicAction.person_id.in_(
        select(Enrolment.person_id).join(Cohort).where(Cohort.centre_id.in_(centres)))


def authorise(allowed: bool) -> None:
    """Stop with 404 (not 403) when not allowed, so a guessed id does not reveal that a record exists."""
    if not allowed:
        abort(404)
