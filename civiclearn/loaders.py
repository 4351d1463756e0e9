"""Find what a page is about, and let `civiclearn.access` say whether the signed-in person may see it.

Views fetch by id or key only through these: each answers 404 both when nothing has that id and when the
person may not see it, so an id that is guessed reveals nothing. One loader per kind of thing; views of every
feature share them (they sit above every feature's rules and below every feature's views, see
docs/architecture.md).
"""

from flask import abort
from flask_login import current_user

from civiclearn import access, codes
from civiclearn.accounts.models import RoleAssignment, User
from civiclearn.centres.models import Centre, Cohort, Kiosk, RosterImport
from civiclearn.certificates import services as certificates
from civiclearn.certificates.models import Certificate, CertificateBatch
from civiclearn.civic.models import CivicAction
from civiclearn.courses.schema import Course, Lesson, Module
from civiclearn.courses.store import catalogue
from civiclearn.extensions import db
from civiclearn.feedback.models import ModuleFeedback
from civiclearn.leaders.models import Mentee, PracticumSession
from civiclearn.learning.models import QuizAttempt
from civiclearn.schools.models import Assignment, School, SchoolClass


def authorised(found, allowed) -> object:
    """`found` when it exists and `allowed(current_user, found)` says yes; 404 otherwise."""
    access.authorise(found is not None and allowed(current_user, found))
    return found


# -- Course content (public: 404 only when it is not served) -----------------------------------------------

def find_course(course_key: str) -> Course:
    found = catalogue().course(course_key)
    if found is None:
        abort(404)
    return found


def find_module(course_key: str, module_key: str) -> Module:
    module = find_course(course_key).module(module_key)
    if module is None:
        abort(404)
    return module


def find_lesson(course_key: str, module_key: str, lesson_key: str) -> Lesson:
    lesson = find_module(course_key, module_key).lesson(lesson_key)
    if lesson is None:
        abort(404)
    return lesson


def find_quiz_module(course_key: str, module_key: str) -> Module:
    """A module that has a quiz."""
    module = find_module(course_key, module_key)
    if module.quiz is None:
        abort(404)
    return module


def find_attempt(attempt_id: int) -> QuizAttempt:
    return authorised(db.session.get(QuizAttempt, attempt_id), access.may_view_attempt)


# -- People and places ----------------------------------------------------------------------------------

def find_centre(centre_id: int) -> Centre:
    """The centre, if the signed-in staff member may manage it."""
    return authorised(db.session.get(Centre, centre_id), access.may_manage_centre)


def find_cohort(centre: Centre, cohort_id: int | None) -> Cohort:
    """A cohort of a centre already found."""
    cohort = db.session.get(Cohort, cohort_id) if cohort_id else None
    access.authorise(cohort is not None and cohort.centre_id == centre.id)
    return cohort


def find_kiosk(centre: Centre, kiosk_id: int) -> Kiosk:
    """A kiosk of a centre already found (retired or not)."""
    kiosk = db.session.get(Kiosk, kiosk_id)
    access.authorise(kiosk is not None and kiosk.centre_id == centre.id)
    return kiosk


def find_roster_import(centre: Centre, import_id: int) -> RosterImport:
    """A roster uploaded to a centre already found."""
    upload = db.session.get(RosterImport, import_id)
    access.authorise(upload is not None and upload.centre_id == centre.id)
    return upload


def find_learner(learner_id: int) -> User:
    """A learner (not deleted) the signed-in trainer, teacher or admin may see."""
    return authorised(db.session.get(User, learner_id),
                      lambda user, learner: learner.anonymised_at is None and access.may_view_learner(user, learner))


def find_data_subject(learner_id: int | None) -> User:
    """Whose data a privacy page is about: the signed-in person's own, or a learner the signed-in staff member
    may see (never themselves through the staff pages)."""
    if learner_id is None:
        return current_user._get_current_object()
    return authorised(db.session.get(User, learner_id),
                      lambda user, person: person.id != user.id and person.anonymised_at is None
                      and access.may_view_learner(user, person))


def find_school(school_id: int) -> School:
    """The school, if the signed-in teacher or admin may manage it."""
    return authorised(db.session.get(School, school_id), access.may_manage_school)


def find_class(class_id: int) -> SchoolClass:
    return authorised(db.session.get(SchoolClass, class_id), access.may_manage_class)


def find_assignment(assignment_id: int) -> tuple[Assignment, SchoolClass]:
    """An assignment, with its class (which the signed-in teacher must manage)."""
    assignment = db.session.get(Assignment, assignment_id)
    access.authorise(assignment is not None)
    return assignment, find_class(assignment.class_id)


def find_staff(person_id: int) -> User:
    """A staff account the signed-in admin administers."""
    person = db.session.scalar(access.staff_managed(current_user).where(User.id == person_id))
    access.authorise(person is not None)
    return person


def find_role(person: User, assignment_id: int) -> RoleAssignment:
    """A role of a person already found, which the signed-in admin may take away."""
    return authorised(db.session.get(RoleAssignment, assignment_id),
                      lambda user, role: role.person_id == person.id and access.may_revoke(user, role))


# -- Certificates and the leader pathway -----------------------------------------------------------------

def find_certificate(code: str, may=access.may_download_certificate) -> Certificate:
    """The certificate of a typed or linked code, if `may` lets the signed-in person at it."""
    return authorised(certificates.find(codes.normalise(code)), may)


def find_group(model: type[Cohort] | type[SchoolClass], group_id: int) -> Cohort | SchoolClass:
    """A cohort or class whose certificates the signed-in staff member may issue."""
    return authorised(db.session.get(model, group_id), access.may_issue_certificates)


def find_batch(batch_id: int) -> CertificateBatch:
    return authorised(db.session.get(CertificateBatch, batch_id), access.may_manage_batch)


def find_own_practicum(model: type[PracticumSession] | type[Mentee], row_id: int) -> PracticumSession | Mentee:
    """A session or mentee the signed-in leader logged and may still change."""
    return authorised(db.session.get(model, row_id), access.may_change_practicum)


def find_centre_practicum(centre_id: int, model: type[PracticumSession] | type[Mentee],
                          row_id: int) -> tuple[Centre, PracticumSession | Mentee]:
    """A session or mentee logged at a centre, which the signed-in trainer may confirm or decline."""
    centre = find_centre(centre_id)
    row = db.session.get(model, row_id)
    access.authorise(row is not None and row.centre_id == centre.id
                     and access.may_confirm_practicum(current_user, centre, row.leader_id))
    return centre, row


def find_leader(centre: Centre, leader_id: int) -> User:
    """A leader the signed-in trainer may endorse at a centre already found."""
    leader = db.session.get(User, leader_id)
    access.authorise(leader is not None and leader.anonymised_at is None
                     and access.may_endorse_leader(current_user, leader, centre))
    return leader


def find_feedback(module: Module, feedback_id: int) -> ModuleFeedback:
    """Feedback on a module already found, which the signed-in staff member may answer."""
    return authorised(db.session.get(ModuleFeedback, feedback_id),
                      lambda user, feedback: feedback.module_id == module.id and access.may_answer_feedback(user, feedback))


def find_own_civic_action(action_id: int) -> CivicAction:
    """A civic action the signed-in learner logged (or that was logged for them), which they may change."""
    return authorised(db.session.get(CivicAction, action_id), access.may_change_civic_action)
