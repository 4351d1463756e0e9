"""Everything CivicLearn holds about a person (to show and to download), and deletion by anonymising.

Deleting a person removes who they are (name, learner code, PIN, sign-in names, consent, roles,
identities) and keeps what counts need: their progress, attempts, cohorts and classes stay, tied to
an anonymous row. Year of birth and gender stay for age and gender counts; alone they identify nobody.
The person's row in an uploaded roster is blanked too (and every roster is deleted after 14 days).
A leader's practicum sessions and mentees not yet confirmed are deleted with them (as the leader or as the
mentee); confirmed ones stay, for the leader's record, without the deleted person's name. Staff notes about
the person are deleted; their ratings of modules stay (for the averages) without their comments. Their civic actions
are deleted; those they logged as a leader for others stay, the other person's.
Features above this one remove their own rows through the `person_deleted` signal (comment themes: the
person's own runs).
"""

import json
from datetime import date

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import aliased

from civiclearn import access, signals
from civiclearn.accounts.models import ExternalIdentity, RoleAssignment, User
from civiclearn.accounts.sessions import end_all_sessions
from civiclearn.audit.models import AuditEvent
from civiclearn.audit.services import record
from civiclearn.centres.models import Centre, Cohort, Enrolment
from civiclearn.centres.roster import forget_learner_in_rosters
from civiclearn.certificates.models import Certificate
from civiclearn.civic.models import CivicAction
from civiclearn.courses.models import CourseRecord, LessonRecord, ModuleRecord, QuizRecord
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.feedback.models import ModuleFeedback
from civiclearn.leaders.models import Mentee, PracticumSession
from civiclearn.learning.models import LessonProgress, QuizAttempt
from civiclearn.reports.models import LearnerNote
from civiclearn.schools.models import ClassMember, School, SchoolClass


def data_of(person: User) -> dict:
    """All we hold about `person`, in plain structures with dates and times as they are (the readable page writes
    them in the reader's language; as_json writes them in ISO 8601)."""
    return {
        "person": {
            "name": person.display_name, "learner_code": person.learner_code, "username": person.username,
            "email": person.email, "year_of_birth": person.birth_year, "gender": person.gender,
            "language": person.locale, "registered_at": person.created_at,
            "agreed_at": person.consented_at, "guardian_agreed": person.guardian_consented,
            "last_sign_in_at": person.last_sign_in_at, "has_pin": person.pin_hash is not None,
            "has_password": person.password_hash is not None,
        },
        "roles": [{"role": role.role, "scope": role.scope, "since": role.granted_at}
                  for role in db.session.scalars(select(RoleAssignment).where(RoleAssignment.person_id == person.id))],
        "external_identities": [{"issuer": identity.issuer, "subject": identity.subject} for identity in
                                db.session.scalars(select(ExternalIdentity)
                                                   .where(ExternalIdentity.person_id == person.id))],
        "cohorts": [{"centre": centre.name_th, "cohort": cohort.name, "since": enrolment.enrolled_at}
                    for enrolment, cohort, centre in db.session.execute(
                        select(Enrolment, Cohort, Centre).join(Cohort, Enrolment.cohort_id == Cohort.id)
                        .join(Centre).where(Enrolment.person_id == person.id))],
        "classes": [{"school": school.name_th, "class": school_class.name, "since": member.joined_at}
                    for member, school_class, school in db.session.execute(
                        select(ClassMember, SchoolClass, School)
                        .join(SchoolClass, ClassMember.class_id == SchoolClass.id)
                        .join(School).where(ClassMember.person_id == person.id))],
        "lessons": [{"course": course.key, "module": module.key, "lesson": lesson.key,
                     "started_at": progress.started_at, "completed_at": progress.completed_at,
                     "completed_with_help": progress.completed_with_help, "seconds_spent": progress.seconds_spent}
                    for progress, lesson, module, course in db.session.execute(
                        select(LessonProgress, LessonRecord, ModuleRecord, CourseRecord)
                        .join(LessonRecord, LessonProgress.lesson_id == LessonRecord.id)
                        .join(ModuleRecord, LessonRecord.module_id == ModuleRecord.id)
                        .join(CourseRecord, LessonRecord.course_id == CourseRecord.id)
                        .where(LessonProgress.user_id == person.id).order_by(LessonProgress.started_at))],
        "quiz_attempts": [{"course": course.key, "quiz": quiz.key, "score": attempt.score, "passed": attempt.passed,
                           "submitted_at": attempt.submitted_at,
                           "answers": {answer.question_key: answer.chosen for answer in attempt.answers}}
                          for attempt, quiz, course in db.session.execute(
                              select(QuizAttempt, QuizRecord, CourseRecord)
                              .join(QuizRecord, QuizAttempt.quiz_id == QuizRecord.id)
                              .join(CourseRecord, QuizRecord.course_id == CourseRecord.id)
                              .where(QuizAttempt.user_id == person.id).order_by(QuizAttempt.submitted_at))],
        "certificates": [{"code": certificate.code, "award": certificate.award, "title_th": certificate.title_th,
                          "title_en": certificate.title_en, "name_on_it": certificate.holder_name,
                          "issued_at": certificate.issued_at, "expires_on": certificate.expires_on,
                          "revoked_at": certificate.revoked_at, "replaced_at": certificate.replaced_at}
                         for certificate in db.session.scalars(select(Certificate).where(
                             Certificate.person_id == person.id).order_by(Certificate.issued_at))],
        **practicum_of(person),
        "feedback": [{"course": course.key, "module": module.key, "rating": feedback.rating,
                      "comment": feedback.comment, "written_at": feedback.updated_at, "answer": feedback.reply,
                      "answered_at": feedback.replied_at}
                     for feedback, module, course in db.session.execute(
                         select(ModuleFeedback, ModuleRecord, CourseRecord)
                         .join(ModuleRecord, ModuleFeedback.module_id == ModuleRecord.id)
                         .join(CourseRecord, ModuleRecord.course_id == CourseRecord.id)
                         .where(ModuleFeedback.person_id == person.id).order_by(ModuleFeedback.id))],
        **civic_actions_of(person),
        "notes_by_staff": [{"note": note.body, "written_at": note.created_at} for note in db.session.scalars(
            select(LearnerNote).where(LearnerNote.person_id == person.id).order_by(LearnerNote.created_at))],
        "staff_actions_about_you": [{"action": event.action, "at": event.at} for event in db.session.scalars(
            select(AuditEvent).where(AuditEvent.subject_type == "person", AuditEvent.subject_id == person.id,
                                     or_(AuditEvent.actor_id.is_(None), AuditEvent.actor_id != person.id))
            .order_by(AuditEvent.at))],
    }


def practicum_of(person: User) -> dict:
    """The sessions the person ran as a leader, the people they mentor (named only once the leader may see them:
    access.may_see_mentee), and who says they mentor the person, answered or not."""
    other = aliased(User)
    return {
        "leader_sessions": [{"centre": centre.name_th, "held_on": row.held_on, "place": row.place,
                             "topic": row.topic, "attendees": row.attendees, "confirmed_at": row.confirmed_at}
                            for row, centre in db.session.execute(
                                select(PracticumSession, Centre).join(Centre)
                                .where(PracticumSession.leader_id == person.id).order_by(PracticumSession.held_on))],
        "mentees": [{"name": mentee.display_name if access.may_see_mentee(person, row) else None,
                     "centre": centre.name_th, "added_at": row.created_at, "agreed_at": row.agreed_at,
                     "confirmed_at": row.confirmed_at}
                    for row, mentee, centre in db.session.execute(
                        select(Mentee, other, Centre).join(other, other.id == Mentee.mentee_id).join(Centre)
                        .where(Mentee.leader_id == person.id).order_by(Mentee.id))],
        "mentored_by": [{"leader": leader.display_name, "centre": centre.name_th, "added_at": row.created_at,
                         "agreed_at": row.agreed_at, "confirmed_at": row.confirmed_at}
                        for row, leader, centre in db.session.execute(
                            select(Mentee, other, Centre).join(other, other.id == Mentee.leader_id).join(Centre)
                            .where(Mentee.mentee_id == person.id).order_by(Mentee.id))],
    }


def civic_actions_of(person: User) -> dict:
    """What the person did for real (theirs, however logged), and what they logged as a leader for others (without
    naming them: that is the other person's data)."""
    leader = aliased(User)
    return {
        "civic_actions": [{"kind": action.kind, "channel": action.channel, "done_on": action.done_on,
                           "case_number": action.case_number, "note": action.note, "outcome": action.outcome,
                           "outcome_at": action.outcome_at, "logged_at": action.created_at,
                           "changed_at": action.updated_at, "logged_by": by.display_name if by else None,
                           "agreed_at": action.consent_at, "agreed_how": action.consent_how}
                          for action, by in db.session.execute(
                              select(CivicAction, leader).outerjoin(leader, leader.id == CivicAction.logged_by_id)
                              .where(CivicAction.person_id == person.id).order_by(CivicAction.done_on,
                                                                                  CivicAction.id))],
        "civic_actions_logged_for_others": [
            {"kind": action.kind, "channel": action.channel, "done_on": action.done_on, "logged_at": action.created_at}
            for action in db.session.scalars(select(CivicAction).where(CivicAction.logged_by_id == person.id)
                                             .order_by(CivicAction.done_on, CivicAction.id))],
    }


def as_json(data: dict) -> str:
    """The data as the download holds it, for programs as much as people: dates and times in ISO 8601, audit actions
    as their keys ("data.export")."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=_iso)


def _iso(value: date) -> str:  # a datetime is a date too
    if not isinstance(value, date):
        raise TypeError(f"{type(value).__name__} is not written in the JSON download")
    return value.isoformat()


def record_export(actor: User, person: User) -> None:
    """Staff looking at or downloading someone's data is itself recorded (not the person doing it for themselves)."""
    if actor.id != person.id:
        record(actor, "data.export", "person", person.id)


def correct(actor: User, person: User, display_name: str, birth_year: int | None, gender: str | None) -> None:
    """The person, or staff for them, correct their details; the audit log names the fields changed. Flushes."""
    details = {"display_name": display_name, "birth_year": birth_year, "gender": gender or None}
    changed = sorted(name for name, value in details.items() if getattr(person, name) != value)
    for name in changed:
        setattr(person, name, details[name])
    record(actor, "person.correct", "person", person.id, changed=changed)


def anonymise(actor: User, person: User) -> None:
    """Delete the person, keep the counts. Certificates keep their own copy of the name (they stay
    verifiable). Every session of theirs ends. Flushes; the caller commits."""
    person.display_name = ""
    for column in ("learner_code", "pin_hash", "username", "email", "password_hash", "locale", "registration_token",
                   "consented_at", "last_sign_in_at", "locked_until"):
        setattr(person, column, None)
    person.guardian_consented, person.must_change_pin, person.failed_sign_ins = False, False, 0
    person.anonymised_at = utcnow()
    end_all_sessions(person)
    db.session.execute(delete(RoleAssignment).where(RoleAssignment.person_id == person.id))
    db.session.execute(delete(ExternalIdentity).where(ExternalIdentity.person_id == person.id))
    forget_learner_in_rosters(person)
    db.session.execute(delete(PracticumSession).where(PracticumSession.leader_id == person.id,
                                                      PracticumSession.confirmed_at.is_(None)))
    db.session.execute(delete(Mentee).where(or_(Mentee.leader_id == person.id, Mentee.mentee_id == person.id),
                                            Mentee.confirmed_at.is_(None)))
    db.session.execute(delete(LearnerNote).where(LearnerNote.person_id == person.id))
    db.session.execute(delete(CivicAction).where(CivicAction.person_id == person.id))
    db.session.execute(update(ModuleFeedback).where(ModuleFeedback.person_id == person.id).values(comment=""))
    signals.person_deleted.send(person)
    record(actor, "person.delete", "person", person.id)
    db.session.flush()
