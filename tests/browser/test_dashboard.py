"""Journey 3 in a real browser on a phone: the trainer filters the dashboard to "needs help"; the grid scrolls
sideways inside its box while the page does not, the names stay in view, and the page passes an axe scan."""

from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import update

from civiclearn.centres.models import Enrolment
from civiclearn.database import utcnow
from civiclearn.extensions import db
from tests.helpers import record_finished
from tests.reports.test_dashboard import add_people, answer_quiz, open_lessons


def test_the_trainer_filters_the_dashboard_to_those_who_need_help(app, page, sample, make_centre, make_cohort,
                                                                   make_staff, assert_accessible):
    centre = make_centre()
    finished, failing, idle = add_people(app, make_cohort(centre), ["กมล ใจดี", "คำปุน ศรีสุข", "งามตา มีสุข"])
    first = sample.modules[0]
    record_finished(app, finished, sample.modules)
    open_lessons(app, failing, first.lessons, completed=True)
    for _ in range(2):
        answer_quiz(app, failing, first.quiz, {})
    with app.app_context():
        db.session.execute(update(Enrolment).where(Enrolment.person_id == idle)
                           .values(enrolled_at=utcnow() - timedelta(days=30)))
        db.session.commit()
    trainer = make_staff("trainer", centre_id=centre)

    page.goto("/staff/sign-in")
    page.get_by_role("button", name="English").click()
    page.get_by_label("Username or email").fill(trainer.username)
    page.get_by_label("Password").fill(trainer.password)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/centres/{centre}")
    page.get_by_role("link", name="Dashboard: progress and who needs help").click()
    grid = page.locator("table.grid tbody")
    expect(grid.locator("tr")).to_have_count(3)

    page.get_by_label("Needs help (2)").check()
    page.get_by_role("button", name="Show", exact=True).click()
    expect(grid.locator("tr")).to_have_count(2)
    expect(grid).to_contain_text("Failed the quiz of")
    expect(grid).to_contain_text("No activity for 30 days")
    expect(grid).not_to_contain_text("กมล")
    assert "show=needs-help" in page.url

    scroller = page.locator(".grid-scroll")
    assert scroller.evaluate("box => box.scrollWidth > box.clientWidth")  # the grid is wider than a phone
    name = grid.locator("th").first
    before = name.bounding_box()["x"]
    scroller.evaluate("box => { box.scrollLeft = 400; }")
    assert abs(name.bounding_box()["x"] - before) < 1  # the names stay while the modules scroll
    assert_accessible(page)
