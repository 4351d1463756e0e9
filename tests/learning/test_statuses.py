"""A learner's status in every course at once (the home page) is the same as course by course, in two queries."""

from sqlalchemy import event

from civiclearn.accounts.models import User
from civiclearn.courses.store import catalogue
from civiclearn.extensions import db
from civiclearn.learning import services
from tests.helpers import record_finished


def test_every_courses_status_at_once_matches_each_courses_own_in_two_queries(app, load_courses, make_learner):
    load_courses()
    with app.app_context():
        courses = catalogue().courses
    learner_id = make_learner().id
    record_finished(app, learner_id, [courses[0].modules[0], courses[-1].modules[-1]])
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
    assert len(courses) >= 4 and len(statements) == 2
    assert {course: {module: vars(status) for module, status in modules.items()}
            for course, modules in together.items()} == {
        course: {module: vars(status) for module, status in modules.items()} for course, modules in one_by_one.items()}
    assert together[courses[0].key][courses[0].modules[0].key].complete
    assert together[courses[-1].key][courses[-1].modules[-1].key].complete
