"""Digital credentials in a real browser, on a 360 px phone and a 1366 px kiosk, in Thai and English: "My
certificates" with the credential opened passes an axe scan (WCAG 2.2 A/AA); the public checker passes it too, with
its answer shown, and works without JavaScript."""

from tests.badges.conftest import certified  # noqa: F401 - the credentials' fixture, shared here
from tests.browser.conftest import sign_in_learner


def test_my_certificates_and_the_checker_are_accessible_and_need_no_javascript(browser, live_server, certified,  # noqa: F811
                                                                              assert_accessible):
    for width, height in ((360, 740), (1366, 768)):
        context = browser.new_context(base_url=live_server, viewport={"width": width, "height": height},
                                      locale="th-TH")
        page = context.new_page()
        sign_in_learner(page, certified.learner)
        for language in ("th", "en"):
            if language == "en":
                page.get_by_role("button", name="English").click()
            page.goto("/me/certificates")
            page.locator("details.credential summary").click()
            assert page.locator(".pickup-qr svg").is_visible()
            assert_accessible(page)
        signed = page.request.get(f"/credentials/{certified.code}.jwt").text()
        context.close()

        no_script = browser.new_context(base_url=live_server, viewport={"width": width, "height": height},
                                        java_script_enabled=False)
        checker = no_script.new_page()
        checker.goto("/credentials/check")
        checker.locator("textarea[name=credential]").fill(signed)
        checker.locator("form:has(textarea) button[type=submit]").click()
        assert "เป็นของจริงและยังใช้ได้" in checker.locator("#verdict").inner_text()
        no_script.close()

        scanned = browser.new_context(base_url=live_server, viewport={"width": width, "height": height})
        shown = scanned.new_page()
        shown.goto("/credentials/check")
        shown.locator("textarea[name=credential]").fill(signed)
        shown.locator("form:has(textarea) button[type=submit]").click()
        assert shown.locator("#verdict").is_visible()
        assert_accessible(shown)
        scanned.close()
