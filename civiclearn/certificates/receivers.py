"""What certificates do when a learner makes progress (see civiclearn.signals): a course finished, with its
quizzes passed, issues its certificate in the same transaction. Issuing is idempotent, so a signal sent again
(a double click, the same quiz form twice) issues nothing more."""

from civiclearn import signals
from civiclearn.accounts.models import User
from civiclearn.certificates import services
from civiclearn.courses.schema import Lesson, Quiz
from civiclearn.learning.models import QuizAttempt
from civiclearn.learning.services import ModuleStatus


def lesson_completed(person: User, lesson: Lesson, module_status: ModuleStatus) -> None:
    if module_status.complete:  # else the course is not complete either: no need to read the rest of it
        services.issue_if_course_complete(person, lesson.module.course)


def quiz_submitted(person: User, attempt: QuizAttempt, quiz: Quiz) -> None:
    if attempt.passed:
        services.issue_if_course_complete(person, quiz.module.course)


def connect() -> None:
    """Called once the app is built (connecting again changes nothing)."""
    signals.lesson_completed.connect(lesson_completed)
    signals.quiz_submitted.connect(quiz_submitted)
