"""No page scrolls sideways on a 360 px phone: every kind of page, for a learner and for staff, in Thai and in
English (and a learner's at the largest text size), has no wider content than the screen (the document's scroll
width is its client width)."""

import re
from types import SimpleNamespace

from sqlalchemy import select

from civiclearn.centres.models import Centre, Cohort
from civiclearn.config import ROOT
from civiclearn.extensions import db
from tests.browser.conftest import sign_in_learner
from tests.browser.test_report_pages import STAFF_PAGES, sign_in, world  # noqa: F401 (a fixture)

NARROW = {"width": 360, "height": 740}
LEARNER_PAGES = ("/", "/courses", "/courses/getting-started", "/courses/getting-started/how-it-works",
                 "/courses/getting-started/how-it-works/reading-a-lesson",
                 "/courses/getting-started/how-it-works/quiz", "/courses/getting-started/how-it-works/quiz/2",
                 "/courses/getting-started/take-part/guide", "/courses/digital-citizen/spot-the-scam/guide",
                 "/card", "/join", "/pin", "/me/data", "/me/details", "/me/delete", "/me/certificates",
                 "/me/leader", "/v", "/v/{code}", "/open-data")
MORE_STAFF_PAGES = ("/staff", "/centres/{centre}", "/centres/{centre}/dashboard", "/schools/{school}",
                    "/classes/{class_}", "/admin/centres", "/admin/schools", "/admin/staff", "/admin/lti",
                    "/centres/{centre}/roster", "/centres/{centre}/learners/new")


def too_wide(page) -> list[str]:
    """What sticks out of the screen: the page's widths, and the widest elements beyond it."""
    return page.evaluate("""() => {
        const root = document.documentElement;
        if (root.scrollWidth <= root.clientWidth) return [];
        const out = [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > root.clientWidth + 1 && !e.closest('.table-scroll'))
            .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));
        return [`scroll ${root.scrollWidth} > client ${root.clientWidth}`, ...out];
    }""")


def visit_all(page, addresses, values) -> list[str]:
    found = []
    for language in ("th", "en"):
        if language == "en":
            page.get_by_role("button", name="English").click()
        for address in addresses:
            url = address.format(**values)
            page.goto(url)
            wide = too_wide(page)
            if wide:
                found.append(f"{language} {url}: {wide}")
    return found


def test_no_page_scrolls_sideways_at_360_px(browser, live_server, app, world, make_staff, make_learner,  # noqa: F811
                                           load_courses):
    load_courses(ROOT / "courses")  # every course: the leader pathway's pages have the most to show
    context = browser.new_context(base_url=live_server, viewport=NARROW, locale="th-TH")
    page = context.new_page()
    sign_in(page, make_staff("admin"))
    wide = visit_all(page, STAFF_PAGES + MORE_STAFF_PAGES, world)
    context.close()

    learner = make_learner()
    context = browser.new_context(base_url=live_server, viewport=NARROW, locale="th-TH")
    page = context.new_page()
    sign_in_learner(page, learner)
    wide += visit_all(page, LEARNER_PAGES, world)
    page.get_by_role("button", name="ไทย").click()
    page.get_by_role("button", name="ใหญ่มาก").click()  # the largest text size a learner may choose
    wide += [f"largest text: {found}" for found in visit_all(page, LEARNER_PAGES, world)]
    context.close()
    assert wide == []


def test_the_demo_centres_pages_do_not_scroll_sideways_at_360_px(browser, live_server, app, runner, tmp_path,
                                                                load_courses):
    """The demo holds what a centre in use holds (leaders' sessions waiting, long names, every course): screen-reader
    text inside a table that scrolls must scroll with it, not widen the page."""
    load_courses(ROOT / "courses")
    app.instance_path = str(tmp_path)
    seeded = runner.invoke(args=["demo", "seed"])
    assert seeded.exit_code == 0, seeded.output
    password = re.search(r"trainer\s+username demo-trainer\s+password '([^']+)'", seeded.output).group(1)
    with app.app_context():
        centre = db.session.scalar(select(Centre.id).where(Centre.is_demo))
        cohort = db.session.scalar(select(Cohort.id).where(Cohort.centre_id == centre).order_by(Cohort.id.desc()))
    context = browser.new_context(base_url=live_server, viewport=NARROW, locale="th-TH")
    page = context.new_page()
    sign_in(page, SimpleNamespace(username="demo-trainer", password=password))
    pages = ("/staff", "/centres/{centre}", "/centres/{centre}/dashboard", "/centres/{centre}/leaders",
             "/cohorts/{cohort}/certificates", "/centres/{centre}/roster")
    wide = visit_all(page, pages, {"centre": centre, "cohort": cohort})
    context.close()
    assert wide == []
