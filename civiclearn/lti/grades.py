"""Scores to the LMS's gradebook (LTI Assignment and Grade Services).

When a learner who came from an LMS passes or improves a module's quiz, their best score waits in a row
(LtiGradeSend) and a job sends it. A send that fails is tried again after 1, 5 and 30 minutes, 2 and 12 hours
(LTI_GRADE_RETRY_SECONDS); then the row is marked failed, and the class's teacher sees it with a "send again"
button. The score is never lost: it stays in the row until the LMS has taken it. `flask lti send-grades` (a
timer's job) sends whatever is due, should a retry have been lost with its process.
"""

import logging
from datetime import timedelta

from flask import after_this_request, current_app, has_request_context
from sqlalchemy import func, select

from civiclearn import jobs
from civiclearn.accounts.models import ExternalIdentity, User
from civiclearn.audit.services import record
from civiclearn.courses.schema import Quiz
from civiclearn.database import upsert, utcnow
from civiclearn.extensions import db
from civiclearn.learning.models import QuizAttempt
from civiclearn.lti.messages import ServiceFailed
from civiclearn.lti.models import LtiContext, LtiGradeSend, LtiPlatform, LtiResourceLink
from civiclearn.schools.models import ClassMember, SchoolClass

log = logging.getLogger(__name__)

SEND = "civiclearn.lti.grades.send"


def quiz_submitted(person: User, attempt: QuizAttempt, quiz: Quiz) -> None:
    """Receiver of learning's quiz_submitted: a better score than any before waits for each LMS activity of the
    module the learner is in; its sends start once the request has committed."""
    earlier_best = db.session.scalar(select(func.max(QuizAttempt.score)).where(
        QuizAttempt.user_id == person.id, QuizAttempt.quiz_id == quiz.id, QuizAttempt.id != attempt.id))
    if earlier_best is not None and attempt.score <= earlier_best:
        return
    waiting = [keep_score(person, link, attempt, quiz) for link in links_of(person, quiz.module.id)]
    if waiting:
        send_after_commit(waiting)


def links_of(person: User, module_id: int) -> list[LtiResourceLink]:
    """The LMS activities opening this module in the LMS courses the person is a member of."""
    return db.session.scalars(
        select(LtiResourceLink).join(LtiContext, LtiContext.id == LtiResourceLink.context_row_id)
        .join(ClassMember, ClassMember.class_id == LtiContext.class_id)
        .where(ClassMember.person_id == person.id, LtiResourceLink.module_id == module_id)).all()


def keep_score(person: User, link: LtiResourceLink, attempt: QuizAttempt, quiz: Quiz) -> int:
    """The score waits in the learner's row for the activity (a better one replaces one not sent). Flushes."""
    questions = len(quiz.questions)
    values = {"score_given": round(attempt.score * questions / 100, 2), "score_maximum": float(questions),
              "completed": attempt.passed, "scored_at": attempt.submitted_at, "state": "waiting", "tries": 0,
              "next_try_at": utcnow(), "last_error": None}
    upsert(db.session, LtiGradeSend, {"person_id": person.id, "link_id": link.id, **values},
           ["person_id", "link_id"], update=values)
    return db.session.scalar(select(LtiGradeSend.id).where(LtiGradeSend.person_id == person.id,
                                                           LtiGradeSend.link_id == link.id))


def send_after_commit(grade_ids: list[int]) -> None:
    """Start the sends once the rows are committed: a job runs in its own transaction, maybe elsewhere."""
    def enqueue(response):
        for grade_id in grade_ids:
            jobs.enqueue(SEND, grade_id)
        return response
    if has_request_context():
        after_this_request(enqueue)
    else:
        enqueue(None)


def send(grade_id: int) -> None:
    """The job: send the row's score; on failure, try again later or mark it failed. Commits."""
    grade = db.session.get(LtiGradeSend, grade_id, with_for_update=True)
    if grade is None or grade.state != "waiting":
        db.session.rollback()
        return
    link = db.session.get(LtiResourceLink, grade.link_id)
    context = db.session.get(LtiContext, link.context_row_id)
    platform = db.session.get(LtiPlatform, link.platform_id)
    subject = db.session.scalar(select(ExternalIdentity.subject).where(
        ExternalIdentity.person_id == grade.person_id, ExternalIdentity.issuer == platform.issuer))
    if subject is None:  # the learner deleted their data: nothing of theirs goes anywhere
        db.session.delete(grade)
        db.session.commit()
        return
    from civiclearn.lti import adapter  # the protocol library, loaded by the job that calls a platform
    try:
        if platform.state != "active":
            raise ServiceFailed("the LMS registration is disabled")
        adapter.send_score(
            platform, context.ags_scopes or [], link.lineitem_url, context.lineitems_url,
            line={"label": link.resource_link_id, "score_maximum": grade.score_maximum,
                  "resource_id": str(link.module_id), "resource_link_id": link.resource_link_id},
            score={"user_id": subject, "given": grade.score_given, "maximum": grade.score_maximum,
                   "completed": grade.completed, "timestamp": grade.scored_at})
    except ServiceFailed as error:
        retry_in = failed(grade, str(error))
        db.session.commit()
        if retry_in is not None:
            jobs.enqueue_in(retry_in, SEND, grade_id)
        return
    grade.state, grade.sent_at, grade.next_try_at, grade.last_error = "sent", utcnow(), None, None
    db.session.commit()


def failed(grade: LtiGradeSend, error: str) -> int | None:
    """Count a failed try; returns the seconds until the next, or None when the tries are used up. Flushes."""
    log.warning("grade send %s failed (try %s): %s", grade.id, grade.tries + 1, error)
    grade.last_error = error[:500]
    grade.tries += 1
    retries = current_app.config["LTI_GRADE_RETRY_SECONDS"]
    if grade.tries > len(retries):
        grade.state, grade.next_try_at = "failed", None
        db.session.flush()
        return None
    retry_in = retries[grade.tries - 1]
    grade.next_try_at = utcnow() + timedelta(seconds=retry_in)
    db.session.flush()
    return retry_in


def send_due() -> int:
    """Send every waiting score whose time has come (after a restart lost its retry). Returns how many."""
    due = db.session.scalars(select(LtiGradeSend.id).where(LtiGradeSend.state == "waiting",
                                                           LtiGradeSend.next_try_at <= utcnow())).all()
    db.session.rollback()
    for grade_id in due:
        send(grade_id)
    return len(due)


def unsent_of(school_class: SchoolClass) -> list[tuple[LtiGradeSend, User]]:
    """The class's scores the LMS has not taken after every try, with their learners."""
    return db.session.execute(
        select(LtiGradeSend, User).join(User, User.id == LtiGradeSend.person_id)
        .join(LtiResourceLink, LtiResourceLink.id == LtiGradeSend.link_id)
        .join(LtiContext, LtiContext.id == LtiResourceLink.context_row_id)
        .where(LtiContext.class_id == school_class.id, LtiGradeSend.state == "failed")
        .order_by(User.display_name)).all()


def send_again(actor: User, grade: LtiGradeSend) -> None:
    """A teacher's "send again": the failed score waits once more, with its tries counted afresh. Flushes;
    the send starts after the commit."""
    grade.state, grade.tries, grade.next_try_at = "waiting", 0, utcnow()
    db.session.flush()
    record(actor, "lti.grade.resend", "person", grade.person_id, grade=grade.id)
    send_after_commit([grade.id])
