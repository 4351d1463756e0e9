"""A quiz one question at a time: the answers given so far, kept in the session until "Check my answers", and
how the learner chose to see quizzes (one question per screen, or all on one page).

Answers are kept per form token (one token is one attempt, civiclearn.forms): Back and Next find them again,
the language switch and a second tab carry the token, and checking the same token twice is still one attempt.
The session is the right place, as for practice tries (learning.practice): the answers are the learner's own,
nothing is graded before the check, and signing in or out clears them, so a kiosk's next learner starts afresh.
The session is a signed cookie, which browsers cap at 4 KB: only the latest KEPT quizzes in progress are kept,
and of them only the keys of the quiz's own questions and choices.

The layout is the session's too, not the account's: it depends on the screen in front of the learner. One
question at a time is the default, for the phones and kiosks most learners use; a shared kiosk goes back to it
for its next learner.
"""

from flask import session

from civiclearn.courses.schema import Quiz

ANSWERS_KEY = "quiz_answers"  # [{"quiz": id, "token": ..., "answers": {question key: [choice keys]}}], newest first
KEPT = 2
LAYOUT_KEY = "quiz_layout"
ONE_AT_A_TIME, ALL_ON_ONE_PAGE = "one", "all"


def layout() -> str:
    return ALL_ON_ONE_PAGE if session.get(LAYOUT_KEY) == ALL_ON_ONE_PAGE else ONE_AT_A_TIME


def choose_layout(chosen: str) -> None:
    session[LAYOUT_KEY] = chosen


def latest_token(quiz: Quiz) -> str | None:
    """The token of the quiz's answers kept last, to go on with; None when none are kept."""
    return next((kept["token"] for kept in session.get(ANSWERS_KEY, []) if kept["quiz"] == quiz.id), None)


def kept_answers(quiz: Quiz, token: str) -> dict[str, frozenset[str]]:
    """The answers kept for this attempt by question key: those of questions and choices the quiz still has (a
    course can change between two steps)."""
    kept = next((kept["answers"] for kept in session.get(ANSWERS_KEY, [])
                 if kept["quiz"] == quiz.id and kept["token"] == token), {})
    answers = {}
    for question in quiz.questions:
        chosen = frozenset(kept.get(question.key, ())) & {choice.key for choice in question.choices}
        if chosen:
            answers[question.key] = chosen
    return answers


def keep_answers(quiz: Quiz, token: str, given: dict[str, frozenset[str]]) -> None:
    """Add `given` to the answers kept for this attempt (an empty answer clears the question's), as the newest."""
    answers = {**kept_answers(quiz, token), **given}
    answers = {key: sorted(chosen) for key, chosen in answers.items() if chosen}
    before = session.get(ANSWERS_KEY, [])
    others = [kept for kept in before if kept["token"] != token]
    latest = [{"quiz": quiz.id, "token": token, "answers": answers}] if answers else []
    if latest or len(others) < len(before):
        session[ANSWERS_KEY] = (latest + others)[:KEPT]


def forget_answers(token: str) -> None:
    """The attempt is recorded: its answers are no longer kept."""
    kept = session.get(ANSWERS_KEY, [])
    if any(entry["token"] == token for entry in kept):
        session[ANSWERS_KEY] = [entry for entry in kept if entry["token"] != token]
