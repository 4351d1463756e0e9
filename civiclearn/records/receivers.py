"""What learning records say when a learner makes progress (see civiclearn.signals), when an LRS is set."""

from flask import session

from civiclearn import signals
from civiclearn.accounts.models import User
from civiclearn.courses.schema import Lesson, Module, Quiz
from civiclearn.learning.models import QuizAttempt
from civiclearn.records import services, statements


def language() -> str | None:
    return session.get("lang")


def launched(person: User, module: Module) -> None:
    if services.enabled():
        services.keep(statements.launched(person.id, module, language()))


def lesson_completed(person: User, lesson: Lesson, **_status) -> None:  # (the module's status: not in the statement)
    if services.enabled():
        services.keep(statements.lesson_completed(person.id, lesson, language()))


def quiz_submitted(person: User, attempt: QuizAttempt, quiz: Quiz) -> None:
    if services.enabled():
        answers = {answer.question_key: answer.chosen.split(",") if answer.chosen else []
                   for answer in attempt.answers}
        services.keep(statements.quiz_submitted(person.id, quiz, attempt.score, attempt.passed, answers,
                                                language()))


def connect() -> None:
    """Called once the app is built (connecting again changes nothing)."""
    signals.launched.connect(launched)
    signals.lesson_completed.connect(lesson_completed)
    signals.quiz_submitted.connect(quiz_submitted)
