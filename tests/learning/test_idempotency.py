"""Nothing lost, nothing doubled: double clicks, resubmitted forms, two tabs and races."""

from datetime import timedelta

from sqlalchemy import event as sa_event
from sqlalchemy import func, select, update

from civiclearn.accounts.models import User
from civiclearn.courses.store import catalogue
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.learning import services
from civiclearn.learning.models import AttemptAnswer, LessonProgress, QuizAttempt
from tests.helpers import find_form, race, show_all_questions
from tests.learning.test_flow import COURSE, answers


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_double_clicking_done_records_the_lesson_once(app, client, learner, sample):
    module = sample.modules[0]
    url = f"{COURSE}/{module.key}/{module.lessons[0].key}"
    form = find_form(client.get(url).get_data(as_text=True), action=f"{url}/complete")
    first = client.post(form["action"], data=dict(form["fields"]))
    with app.app_context():
        completed_at = db.session.scalar(select(LessonProgress.completed_at))
    second = client.post(form["action"], data=dict(form["fields"]))
    assert first.headers["Location"] == second.headers["Location"]
    assert count(app, LessonProgress) == 1
    with app.app_context():
        assert db.session.scalar(select(LessonProgress.completed_at)) == completed_at


def test_the_same_quiz_form_sent_twice_is_one_attempt(app, client, learner, sample):
    """All questions on one page (one at a time: tests/learning/test_quiz_steps.py)."""
    module = sample.modules[0]
    url = f"{COURSE}/{module.key}/quiz"
    show_all_questions(client, url)
    form = find_form(client.get(url).get_data(as_text=True), action=url)
    data = [*form["fields"], *((name, value) for name, values in answers(module.quiz, True).items() for value in values)]
    first = client.post(url, data=_multi(data))
    second = client.post(url, data=_multi(data))
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert count(app, QuizAttempt) == 1
    assert count(app, AttemptAnswer) == len(module.quiz.questions)


def test_two_tabs_make_two_attempts_and_lose_neither(app, client, learner, sample):
    module = sample.modules[0]
    url = f"{COURSE}/{module.key}/quiz"
    show_all_questions(client, url)
    tab_one = find_form(client.get(url).get_data(as_text=True), action=url)
    tab_two = find_form(client.get(url).get_data(as_text=True), action=url)
    assert dict(tab_one["fields"])["token"] != dict(tab_two["fields"])["token"]
    for tab, right in ((tab_one, False), (tab_two, True)):
        extra = [(name, value) for name, values in answers(module.quiz, right).items() for value in values]
        client.post(url, data=_multi([*tab["fields"], *extra]))
    with app.app_context():
        assert sorted(db.session.scalars(select(QuizAttempt.score))) == [0, 100]


def _multi(pairs):
    from werkzeug.datastructures import MultiDict
    return MultiDict(pairs)


def test_racing_submissions_of_one_form_store_one_attempt(app, make_learner, sample):
    learner_id = make_learner().id
    quiz_id = sample.modules[0].quiz.id

    def submit_once():
        with app.test_request_context():
            quiz = catalogue().quiz_by_id(quiz_id)
            chosen = {q.key: q.correct_keys for q in quiz.questions}
            return services.submit_quiz(db.session.get(User, learner_id), quiz, "same-form-token", chosen).id

    ids = race(app, submit_once)
    assert len(set(ids)) == 1
    assert count(app, QuizAttempt) == 1


def test_racing_lesson_writes_keep_one_row(app, make_learner, sample):
    learner_id = make_learner().id
    lesson_id = sample.modules[0].lessons[0].id

    def open_and_complete():
        with app.test_request_context():
            learner, lesson = db.session.get(User, learner_id), catalogue().lesson_by_id(lesson_id)
            services.open_lesson(learner, lesson)
            services.complete_lesson(learner, lesson)

    race(app, open_and_complete)
    assert count(app, LessonProgress) == 1


def test_racing_dones_finish_the_lesson_and_credit_its_reading_time_once(app, make_learner, sample):
    """Done sent from several screens at once, two minutes after the lesson was opened: the lesson is finished and
    the two minutes count once (each Done reads the same last visit; only the first to write may credit it)."""
    learner_id, lesson = make_learner().id, sample.modules[0].lessons[0]
    with app.app_context():
        opened = utcnow() - timedelta(minutes=2)
        db.session.add(LessonProgress(user_id=learner_id, lesson_id=lesson.id, started_at=opened,
                                      last_opened_at=opened))
        db.session.commit()

    def complete():
        with app.test_request_context():
            services.complete_lesson(db.session.get(User, learner_id), catalogue().lesson_by_id(lesson.id))

    race(app, complete)
    with app.app_context():
        spent, done = db.session.execute(select(LessonProgress.seconds_spent, LessonProgress.completed_at)).one()
    assert 120 <= spent <= 125 and done is not None


def test_reading_time_adds_up_across_reloads_and_ignores_time_away(app, make_learner, sample):
    learner_id = make_learner().id
    first, second = sample.modules[0].lessons[:2]

    def opened_minutes_ago(lesson, minutes):
        db.session.execute(update(LessonProgress).where(LessonProgress.lesson_id == lesson.id)
                           .values(last_opened_at=utcnow() - timedelta(minutes=minutes)))

    with app.test_request_context():
        learner = db.session.get(User, learner_id)
        services.open_lesson(learner, first)
        opened_minutes_ago(first, 4)
        services.open_lesson(learner, first)  # a reload or a language switch: the 4 minutes count
        opened_minutes_ago(first, 1)
        services.complete_lesson(learner, first)
        services.complete_lesson(learner, first)  # a second click adds next to nothing
        services.open_lesson(learner, second)
        opened_minutes_ago(second, 180)  # left open while away
        services.complete_lesson(learner, second)
        db.session.commit()
        spent = dict(db.session.execute(select(LessonProgress.lesson_id, LessonProgress.seconds_spent)).all())
        done = db.session.scalars(select(LessonProgress.completed_at)).all()
    assert 300 <= spent[first.id] <= 302
    assert spent[second.id] == 0
    assert all(done)


def test_a_reload_within_a_minute_writes_nothing_and_its_reading_time_still_counts(app, make_learner, sample):
    """Lesson views must not queue on the database: only the first visit, "Done", and a visit a minute or more
    after the last one written, write."""
    learner_id, lesson = make_learner().id, sample.modules[0].lessons[0]
    writes = []

    def record_writes(_connection, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE")) and "lesson_progress" in statement:
            writes.append(statement.split()[0])

    def last_opened_minutes_ago(minutes):
        db.session.execute(update(LessonProgress).values(last_opened_at=utcnow() - timedelta(minutes=minutes)))
        db.session.commit()
        writes.clear()  # (this test's own)

    with app.test_request_context():
        learner = db.session.get(User, learner_id)
        sa_event.listen(db.engine, "before_cursor_execute", record_writes)
        try:
            services.open_lesson(learner, lesson)
            assert writes == ["INSERT"]  # started: one statement
            last_opened_minutes_ago(0.5)
            services.open_lesson(learner, lesson)  # a reload half a minute later
            assert writes == []
            last_opened_minutes_ago(3)  # the last visit written was 3 minutes ago (the reload was not written)
            services.open_lesson(learner, lesson)
            assert writes == ["UPDATE"]
            last_opened_minutes_ago(2)
            services.complete_lesson(learner, lesson)
            assert writes == ["UPDATE"]  # reading time and done: one statement
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", record_writes)
        db.session.commit()
        spent, done = db.session.execute(select(LessonProgress.seconds_spent, LessonProgress.completed_at)).one()
    assert 300 <= spent <= 302 and done is not None


def test_a_lost_race_returns_the_winner_and_keeps_the_rest_of_the_request(app, make_learner, sample, monkeypatch):
    """When the unique constraint, not the first look-up, catches the repeat, only the savepoint rolls back."""
    learner_id = make_learner().id
    with app.test_request_context():
        learner, quiz = db.session.get(User, learner_id), catalogue().quiz_by_id(sample.modules[0].quiz.id)
        winner = services.submit_quiz(learner, quiz, "token-1", {})
        db.session.commit()
        look_up, calls = services._attempt_by_token, []

        def first_look_up_misses(*args):  # as if the repeat looked before the winner committed
            calls.append(args)
            return None if len(calls) == 1 else look_up(*args)
        monkeypatch.setattr(services, "_attempt_by_token", first_look_up_misses)
        services.open_lesson(learner, quiz.module.lessons[0])
        repeat = services.submit_quiz(learner, quiz, "token-1", {})
        db.session.commit()
        assert repeat.id == winner.id and len(calls) == 2
    assert count(app, QuizAttempt) == 1
    assert count(app, LessonProgress) == 1


def test_a_lesson_page_and_its_done_are_each_one_transaction(app, client, learner, sample):
    """Read, write and read again in one transaction, committed once: on PostgreSQL every extra transaction is
    two more round trips for every learner reading."""
    module = sample.modules[0]
    url = f"{COURSE}/{module.key}/{module.lessons[0].key}"
    client.get(url)  # the first visit: its row written
    begun = []

    def record_begin(connection):
        begun.append(connection)

    with app.app_context():
        engine = db.engine
    sa_event.listen(engine, "begin", record_begin)
    try:
        page = client.get(url)
        form = find_form(page.get_data(as_text=True), action=f"{url}/complete")
        assert len(begun) == 1
        done = client.post(form["action"], data=dict(form["fields"]))
        assert done.status_code == 303 and len(begun) == 2
    finally:
        sa_event.remove(engine, "begin", record_begin)
    assert count(app, LessonProgress) == 1
