"""Wrong tries at a lesson's practice, and whether its answer was seen: kept in the session, per lesson.

After ANSWER_AFTER_TRIES wrong tries the learner may see the answer and go on; the lesson then counts as done
with help. The session is the right place: it is the learner's own (signing in or out clears it, so a kiosk's next
learner starts afresh) and a count of tries is not worth a database write. Seeing the answer is remembered too,
so that a right go after it also counts as done with help.
"""

from flask import session

from civiclearn.courses.schema import Lesson

ANSWER_AFTER_TRIES = 2
TRIES_KEY = "practice_tries"  # {lesson id: wrong tries}
SEEN_KEY = "practice_answers_seen"  # [lesson id, ...]


def wrong_tries(lesson: Lesson) -> int:
    return session.get(TRIES_KEY, {}).get(str(lesson.id), 0)


def count_wrong_try(lesson: Lesson) -> None:
    """One more wrong go at the lesson's practice (a form sent with an answer missing is no go)."""
    tries = dict(session.get(TRIES_KEY, {}))
    tries[str(lesson.id)] = tries.get(str(lesson.id), 0) + 1
    session[TRIES_KEY] = tries


def may_see_answer(lesson: Lesson) -> bool:
    return wrong_tries(lesson) >= ANSWER_AFTER_TRIES


def see_answer(lesson: Lesson) -> None:
    """The answer is on the learner's screen: going on now is going on with help."""
    seen = session.get(SEEN_KEY, [])
    if lesson.id not in seen:
        session[SEEN_KEY] = [*seen, lesson.id]


def answer_seen(lesson: Lesson) -> bool:
    return lesson.id in session.get(SEEN_KEY, [])
