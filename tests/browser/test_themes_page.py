"""The comment themes page in a real browser, on a 360 px phone and a 1366 px kiosk, in Thai and English: it passes
an axe scan (WCAG 2.2 A/AA) with a theme's comments opened, does not scroll sideways, and Run again works
without JavaScript's help."""

from civiclearn.accounts.models import User
from civiclearn.extensions import db
from civiclearn.themes import services
from tests.browser.test_report_pages import sign_in
from tests.themes.conftest import commented, fixture_texts  # noqa: F401 - the themes' fixtures, shared here


def test_the_themes_page_is_accessible_on_a_phone_and_a_kiosk(app, browser, live_server, commented,  # noqa: F811
                                                               assert_accessible, monkeypatch):
    trainer, _other = commented
    with app.app_context():
        found, _new = services.request_run(db.session.get(User, trainer.id), "feedback", {}, "th")
        db.session.commit()
        services.run(found.id)
    monkeypatch.setattr(services.jobs, "enqueue", lambda *args, **kwargs: None)  # Run again: kept waiting
    for width, height in ((360, 740), (1366, 768)):
        context = browser.new_context(base_url=live_server, viewport={"width": width, "height": height},
                                      locale="th-TH")
        page = context.new_page()
        sign_in(page, trainer)
        for language in ("th", "en"):
            if language == "en":
                page.get_by_role("button", name="English").click()
            page.goto("/staff/themes")
            assert page.locator("section.theme").count() >= 7
            page.locator("section.theme summary").first.click()  # all the comments of the first theme
            assert page.locator("section.theme details").first.get_attribute("open") is not None
            assert_accessible(page)
        if width == 1366:  # last: the page then shows a waiting run, not the themes
            page.get_by_role("button", name="Run again").click()
            assert "Waiting to start" in page.locator("#run-status").inner_text()
            assert_accessible(page)
        context.close()
