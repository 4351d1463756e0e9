"""Journey 3 in a real browser: on a phone the trainer filters the dashboard to "needs help"; the grid scrolls
sideways inside its box while the page does not, the names stay in view, and the page passes an axe scan. On a
1366 px kiosk the grid of the longest course fits the screen."""

from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import update

from civiclearn.centres.models import Enrolment
from civiclearn.config import ROOT
from civiclearn.courses.store import catalogue
from civiclearn.database import utcnow
from civiclearn.extensions import db
from tests.browser.test_report_pages import sign_in
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
    expect(grid).to_contain_text("Failed the M1 quiz 2 times")
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


LONG_NAMES = ("จันทร์เพ็ญ ทองดีมีสุขสวัสดิ์", "ประเสริฐ ศรีสุวรรณวงศ์", "Wanida Srisawat-Thongdee", "บุญเรือน ใจงามยิ่ง",
              "คำปุน แก้วมณีรัตน์", "สมหมาย ประเสริฐศักดิ์", "ลำดวน บุญมาก", "Malee Chaiyaporn", "ทองพูน มีสุข",
              "พิกุล รักษ์ถิ่น", "อำนวย ชัยมงคล", "สายสุนีย์ ทองคำ")


def test_the_longest_courses_grid_fits_a_kiosk_screen_and_scrolls_in_its_box_on_a_phone(
        app, browser, live_server, load_courses, make_centre, make_cohort, make_staff, assert_accessible):
    """The digital-citizen course (11 modules, the longest), with learners at every stage, one of them stuck on the
    last module's quiz: on a 1366 px kiosk the page and the grid fit the screen, the reasons beside the names; on a
    412 px phone only the grid's box scrolls. In Thai and in English, with an axe scan each time."""
    load_courses(ROOT / "courses" / "digital-citizen")
    with app.test_request_context():
        course = catalogue().course("digital-citizen")
    assert len(course.modules) == 11
    centre = make_centre()
    people = add_people(app, make_cohort(centre), LONG_NAMES)
    for number, person in enumerate(people[1:], start=1):
        record_finished(app, person, course.modules[:number])
    stuck, last = people[0], course.modules[-1]
    record_finished(app, stuck, course.modules[:-1])
    open_lessons(app, stuck, last.lessons, completed=True)
    for _ in range(2):
        answer_quiz(app, stuck, last.quiz, {})
    trainer = make_staff("trainer", centre_id=centre)

    for viewport in ({"width": 1366, "height": 768}, {"width": 412, "height": 915}):
        context = browser.new_context(base_url=live_server, viewport=viewport, locale="th-TH")
        page = context.new_page()
        sign_in(page, trainer)
        for language in ("th", "en"):
            if language == "en":
                page.get_by_role("button", name="English").click()
            page.goto(f"/centres/{centre}/dashboard")  # opens on the course studied: digital-citizen
            expect(page.locator("table.grid thead th")).to_have_count(2 + 11)
            reason = page.locator(".help-reason")
            expect(reason).to_contain_text("11")  # the last module, by its short label
            assert_accessible(page)  # and the page itself does not scroll sideways
            scroller = page.locator(".grid-scroll")
            if viewport["width"] == 1366:
                assert scroller.evaluate("box => box.scrollWidth <= box.clientWidth"), language  # no scrolling
                box = reason.bounding_box()
                assert box["x"] + box["width"] <= 1366, language
            else:
                assert scroller.evaluate("box => box.scrollWidth > box.clientWidth"), language
        context.close()
