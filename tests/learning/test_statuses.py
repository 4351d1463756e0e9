"""A learner's status in every course at once (the home page) is the same as course by course, in one query."""

import re
from datetime import timedelta

from sqlalchemy import update

from civiclearn.accounts.models import User
from civiclearn.courses.store import catalogue
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.learning import services
from civiclearn.learning.models import LessonProgress, QuizAttempt
from tests.helpers import find_form, progress_statements, record_finished


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
    with app.test_request_context():
        learner, courses = db.session.get(User, learner_id), catalogue().courses
        with progress_statements(app) as statements:
            together = services.course_statuses(learner, courses)
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


def test_the_home_page_reads_the_learners_progress_once(app, client, load_courses, make_learner, sign_in):
    """The course cards, "continue where you left off" and the leader pathway's link share one read of a
    learner's progress rows (each used to read them again: three reads of the same rows on every home page; then
    "continue" two more, for the latest lesson opened and the latest quiz sent)."""
    load_courses()
    person = make_learner()
    sign_in(person)
    with app.app_context():
        first = catalogue().courses[0]
        assert catalogue().course("citizen-leader").leader_pathway  # the link's check has statuses to read
    record_finished(app, person.id, [first.modules[0]])
    with progress_statements(app) as reads:
        home = client.get("/")
    next_lesson = first.modules[1].lessons[0]
    assert home.status_code == 200
    assert f'href="/courses/{first.key}/{first.modules[1].key}/{next_lesson.key}"' in home.get_data(as_text=True)
    assert len(reads) == 1


def test_the_course_and_module_pages_read_the_learners_progress_once(app, client, learner, sample):
    """The next step, and whether the learner may say what they think of the module, come from the statuses
    the page read for its list (each read the progress rows again)."""
    done, following = sample.modules[:2]
    record_finished(app, learner.id, [done])
    next_lesson = f'href="/courses/{sample.key}/{following.key}/{following.lessons[0].key}"'
    feedback = 'id="feedback"'
    course, module = f"/courses/{sample.key}", f"/courses/{sample.key}/{done.key}"
    for page, shown in ((course, [next_lesson]), (module, [feedback]), (f"{module}/done", [next_lesson, feedback])):
        with progress_statements(app) as reads:
            response = client.get(page)
        assert response.status_code == 200 and all(part in response.get_data(as_text=True) for part in shown), page
        assert len(reads) == 1, page


def test_continue_leads_to_where_the_learner_was_last_in_any_course(app, client, load_courses, make_learner,
                                                                      sign_in):
    """"Continue where you left off" follows the latest moment, a lesson opened or a quiz sent, whichever course it
    was in."""
    load_courses()
    person = make_learner()
    sign_in(person)
    with app.app_context():
        first, second = catalogue().courses[:2]
        lesson, quiz_module = first.modules[0].lessons[1], second.modules[0]
        lesson_url = f"/courses/{first.key}/{first.modules[0].key}/{lesson.key}"
        quiz_url = f"/courses/{second.key}/{quiz_module.key}/quiz"
        start = utcnow() - timedelta(hours=1)
        progress = LessonProgress(user_id=person.id, lesson_id=lesson.id, started_at=start, last_opened_at=start)
        db.session.add_all([progress, QuizAttempt(user_id=person.id, quiz_id=quiz_module.quiz.id, token="failed",
                                                  score=20, passed=False, submitted_at=start + timedelta(minutes=5))])
        db.session.commit()

    def continue_link() -> str:
        home = client.get("/").get_data(as_text=True)
        section = home[home.index("เรียนต่อจากที่ค้างไว้"):]  # "Continue where you left off"
        return re.search(r'class="button button-large" href="([^"]+)"', section).group(1)

    assert continue_link() == quiz_url  # the quiz was sent after the lesson was opened
    with app.app_context():
        db.session.execute(update(LessonProgress).where(LessonProgress.user_id == person.id)
                           .values(last_opened_at=start + timedelta(minutes=10)))
        db.session.commit()
    assert continue_link() == lesson_url  # the lesson opened again since


def test_done_reads_the_learners_statuses_once_unless_it_finishes_the_module(app, client, learner, sample):
    """Done reads the learner's statuses in the lesson's module once (its next step, and whether the module is
    finished); the whole course's, for its certificate, only when the module is finished."""
    module = sample.modules[0]
    lessons = [lesson for lesson in module.lessons if not lesson.activity]  # Done at once, no practice first
    def reads_of_done(lesson) -> int:
        url = f"/courses/{sample.key}/{module.key}/{lesson.key}"
        form = find_form(client.get(url).get_data(as_text=True), action=f"{url}/complete")
        with progress_statements(app) as statements:
            assert client.post(form["action"], data=dict(form["fields"])).status_code == 303
        # the statuses' statement (learning.services._LESSON_ROWS)
        return sum("lesson_progress.lesson_id IN" in statement for statement in statements)

    record_finished(app, learner.id, [sample.modules[1]])
    assert lessons and [reads_of_done(lesson) for lesson in lessons] == [1] * len(lessons)  # its quiz is left
    with app.app_context():  # the rest of the module finished: its practice lessons, its quiz
        now = utcnow()
        db.session.add_all(LessonProgress(user_id=learner.id, lesson_id=lesson.id, started_at=now, last_opened_at=now,
                                          completed_at=now) for lesson in module.lessons if lesson.activity)
        db.session.add(QuizAttempt(user_id=learner.id, quiz_id=module.quiz.id, token="passed", score=100, passed=True,
                                   submitted_at=now))
        db.session.commit()
    assert reads_of_done(lessons[0]) == 2  # done again, the module finished: the course's read too
