"""A learner's status in every course at once (the home page) is the same as course by course, in one query."""

from sqlalchemy import event

from civiclearn.accounts.models import User
from civiclearn.courses.store import catalogue
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.learning import services
from civiclearn.learning.models import LessonProgress, QuizAttempt
from tests.helpers import record_finished


def test_every_courses_status_at_once_matches_each_courses_own_in_one_query(app, load_courses, make_learner):
    load_courses()
    with app.app_context():
        courses = catalogue().courses
    learner_id = make_learner().id
    record_finished(app, learner_id, [courses[0].modules[0], courses[-1].modules[-1]])
    started = courses[1].modules[0]  # a lesson opened, not finished; the quiz failed twice
    with app.app_context():
        now = utcnow()
        db.session.add(LessonProgress(user_id=learner_id, lesson_id=started.lessons[0].id, started_at=now,
                                      last_opened_at=now))
        db.session.add_all(QuizAttempt(user_id=learner_id, quiz_id=started.quiz.id, token=f"t{score}", score=score,
                                       passed=False, submitted_at=now) for score in (40, 60))
        db.session.commit()
    statements = []

    def count(*_arguments):
        statements.append(1)

    with app.test_request_context():
        learner, courses = db.session.get(User, learner_id), catalogue().courses
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            together = services.course_statuses(learner, courses)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        one_by_one = {course.key: services.course_status(learner, course) for course in courses}
    assert len(courses) >= 4 and len(statements) == 1
    assert {course: {module: vars(status) for module, status in modules.items()}
            for course, modules in together.items()} == {
        course: {module: vars(status) for module, status in modules.items()} for course, modules in one_by_one.items()}
    assert together[courses[0].key][courses[0].modules[0].key].complete
    assert together[courses[-1].key][courses[-1].modules[-1].key].complete
    begun = together[courses[1].key][started.key]
    assert begun.started and not begun.complete and begun.opened_lessons == {started.lessons[0].key}
    assert begun.completed_lessons == set() and begun.best_score == 60 and not begun.quiz_passed


def test_the_home_page_reads_the_learners_statuses_once(app, client, load_courses, make_learner, sign_in):
    """The course cards, "continue where you left off" and the leader pathway's link share one read of a
    learner's statuses (each used to read them again: three reads of the same rows on every home page)."""
    load_courses()
    person = make_learner()
    sign_in(person)
    with app.app_context():
        first = catalogue().courses[0]
        assert catalogue().course("citizen-leader").leader_pathway  # the link's check has statuses to read
    record_finished(app, person.id, [first.modules[0]])
    reads = []

    def count(_connection, _cursor, statement, *_arguments):
        if "completed_with_help" in statement:  # the statuses' statement (learning.services._LESSON_ROWS)
            reads.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        home = client.get("/")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    next_lesson = first.modules[1].lessons[0]
    assert home.status_code == 200
    assert f'href="/courses/{first.key}/{first.modules[1].key}/{next_lesson.key}"' in home.get_data(as_text=True)
    assert len(reads) == 1
