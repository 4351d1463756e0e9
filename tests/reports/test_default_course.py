"""The course a centre's dashboard opens on without ?course=: the one its cohort (or the whole centre) studied last,
by lessons opened or quizzes sent; the first served when nobody has started. An explicit ?course= wins."""

import secrets
from datetime import timedelta

import pytest

from civiclearn.config import ROOT
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.learning.models import QuizAttempt
from tests.helpers import csrf_token
from tests.reports.test_dashboard import add_people, open_lessons


def sent_quiz(app, person_id: int, quiz, days_ago: int) -> None:
    """A failed quiz attempt `days_ago` days ago."""
    with app.app_context():
        db.session.add(QuizAttempt(user_id=person_id, quiz_id=quiz.id, token=secrets.token_urlsafe(16), score=0,
                                   passed=False, submitted_at=utcnow() - timedelta(days=days_ago)))
        db.session.commit()


@pytest.fixture
def courses(app, sample, load_courses):
    """Two courses served: the sample (getting-started, served first) and safe-and-simple."""
    load_courses(ROOT / "courses" / "safe-and-simple")
    from civiclearn.courses.store import catalogue
    with app.test_request_context():
        served = catalogue()
        assert [course.key for course in served.courses] == ["getting-started", "safe-and-simple"]
        return {course.key: course for course in served.courses}


@pytest.fixture
def centre(app, courses, make_centre, make_cohort, make_staff, staff_sign_in):
    """Cohort A read safe-and-simple a week ago and getting-started two days ago; cohort B read getting-started
    nine days ago and sent a safe-and-simple quiz yesterday; cohort C has not started. A trainer, in English."""
    centre_id = make_centre()
    cohorts = {name: make_cohort(centre_id, name) for name in ("A", "B", "C")}
    [in_a], [in_b], _ = (add_people(app, cohorts[name], [f"ผู้เรียน {name}"]) for name in ("A", "B", "C"))
    safe, first = courses["safe-and-simple"].modules[0], courses["getting-started"].modules[0]
    open_lessons(app, in_a, safe.lessons, completed=True, days_ago=7)
    open_lessons(app, in_a, first.lessons[:1], completed=False, days_ago=2)
    open_lessons(app, in_b, first.lessons, completed=True, days_ago=9)
    sent_quiz(app, in_b, safe.quiz, days_ago=1)
    trainer = app.test_client()
    staff_sign_in(make_staff("trainer", centre_id=centre_id), on=trainer)
    token = csrf_token(trainer.get("/staff").get_data(as_text=True))
    trainer.post("/language", data={"lang": "en", "csrf_token": token})
    return {"id": centre_id, "cohorts": cohorts, "trainer": trainer}


def opened_on(centre, query: str) -> str:
    """The course the dashboard shows for `query`, by its heading."""
    html = centre["trainer"].get(f"/centres/{centre['id']}/dashboard?{query}").get_data(as_text=True)
    return html.split("<h1>", 1)[1].split("</h1>", 1)[0]


@pytest.mark.parametrize(("cohort", "expected"), [
    ("B", "safe-and-simple"),  # its last activity: a quiz in safe-and-simple, yesterday
    ("A", "getting-started"),  # a lesson of getting-started two days ago, after safe-and-simple a week ago
    (None, "safe-and-simple"),  # the whole centre: cohort B's quiz is the latest
    ("C", "getting-started"),  # nobody started: the first course served
])
def test_the_dashboard_opens_on_the_course_the_cohort_studied_last(centre, courses, cohort, expected):
    query = f"cohort={centre['cohorts'][cohort]}" if cohort else ""
    assert opened_on(centre, query) == f"Dashboard: {courses[expected].title.en}"


def test_a_course_asked_for_wins_and_an_unknown_one_falls_back(centre, courses):
    cohort_b = centre["cohorts"]["B"]
    assert opened_on(centre, f"cohort={cohort_b}&course=getting-started") == \
        f"Dashboard: {courses['getting-started'].title.en}"
    assert opened_on(centre, f"cohort={cohort_b}&course=no-such-course") == \
        f"Dashboard: {courses['safe-and-simple'].title.en}"
    html = centre["trainer"].get(f"/centres/{centre['id']}/dashboard?cohort={cohort_b}").get_data(as_text=True)
    assert '<option value="safe-and-simple" selected>' in html  # the form and its links carry the course on
    assert f"course=safe-and-simple&amp;cohort={cohort_b}" in html


def test_the_export_without_a_course_is_of_the_course_the_page_opens_on(centre):
    with centre["trainer"].get(f"/centres/{centre['id']}/dashboard.csv?cohort={centre['cohorts']['B']}") as response:
        assert response.status_code == 200
        assert "dashboard-safe-and-simple" in response.headers["Content-Disposition"]
