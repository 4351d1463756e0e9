"""LTI launches inside an LMS's page, in real Chromium: the LMS (tests/lti/platform.py) at http://127.0.0.1:PORT
shows the activity in an iframe of CivicLearn at http://localhost:PORT. The two host names are two sites, so the
frame is cross-site and its cookies are third-party cookies; Chromium counts both loopback names as secure
contexts, so the launch's `Secure` cookie is kept over plain http, as it would be over https.
"""

import json
from html import escape
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.lti.conftest import register  # noqa: F401 (a fixture: the LMS registered, its origin may frame us)
from tests.lti.platform import LMS

COOKIES_BLOCKED = 2  # Chromium's CONTENT_SETTING_BLOCK, as a cookie exception in a profile's Preferences


@pytest.fixture
def tool_url(app, live_server) -> str:
    """The app's address under the other loopback name; the LMS sends launches to it, so it is the public URL."""
    app.config["PUBLIC_URL"] = live_server.replace("//127.0.0.1:", "//localhost:")
    return app.config["PUBLIC_URL"]


@pytest.fixture
def lms(tool_url):
    """An LMS of its own (the LTI tests' one is bound to their app), with a course page framing the activity."""
    platform = LMS()
    platform.tool_launch_url = tool_url + "/lti/launch"
    platform.app.add_url_rule("/course", "course", lambda: course_page(platform, tool_url))
    yield platform
    platform.close()


def course_page(lms: LMS, tool_url: str) -> str:
    """The LMS's course page: the activity in an iframe that starts at the tool's login initiation."""
    login = tool_url + "/lti/login?" + urlencode({
        "iss": lms.base, "login_hint": lms.next.subject, "target_link_uri": lms.next.target,
        "client_id": lms.client_id, "lti_deployment_id": lms.deployment_id})
    return ('<!doctype html><html lang="th"><title>ม.2/1 พลเมืองดิจิทัล</title><link rel="icon" href="data:,">'
            f'<iframe title="CivicLearn" src="{escape(login)}" width="390" height="800"></iframe></html>')


@pytest.fixture
def activity(lms, register, sample, tool_url):  # noqa: F811 (register is the imported fixture)
    """The sample course's first module, as the LMS course's activity; the LMS registered with the app."""
    register(lms)
    module = sample.modules[0]
    lms.next.target = f"{tool_url}/courses/{module.course.key}/{module.key}"
    return module


def console_errors(context) -> list[str]:
    """Errors any page or frame of `context` logs from now on: a frame-ancestors refusal is one."""
    errors = []
    context.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    context.on("weberror", lambda error: errors.append(str(error.error)))
    return errors


@pytest.fixture
def context(browser):
    """A Thai-speaking visitor's browser, with Chromium's default cookie rules."""
    context = browser.new_context(locale="th-TH")
    yield context
    context.close()


def test_a_launch_in_the_lms_frame_signs_in_and_its_cookie_comes_back(context, lms, activity, tool_url):
    """The launch's session cookie is third-party in the frame: only its `SameSite=None; Secure; Partitioned`
    attributes let Chromium keep it and send it with the next page the learner opens there."""
    errors = console_errors(context)
    page = context.new_page()
    page.goto(lms.base + "/course")
    frame = page.frame_locator("iframe")
    expect(frame.get_by_role("heading", level=1)).to_have_text(activity.title.th)
    expect(frame.locator(".signed-in")).to_contain_text(lms.next.name)

    lesson = activity.lessons[0]
    frame.get_by_role("link", name=lesson.title.th).click()
    expect(frame.get_by_role("heading", level=1)).to_have_text(lesson.title.th)
    expect(frame.locator(".signed-in")).to_contain_text(lms.next.name)
    [cookie] = context.cookies(tool_url)
    assert cookie.get("partitionKey") == "http://127.0.0.1"  # kept for the LMS's site only
    assert errors == []


@pytest.fixture
def refusing_context(browser, lms, tool_url, tmp_path):
    """Chromium refusing the tool's cookies inside the LMS's page, partitioned ones too, as browsers and settings
    that refuse every third-party cookie do. Blocking third-party cookies (Playwright's contexts do by default, as
    does --test-third-party-cookie-phaseout) keeps partitioned ones, so this is a cookie exception in Chromium's
    own site settings, for the tool inside the LMS's page: the browser itself refuses the cookie the app really
    sent, and the tool's own window keeps its cookies. Only a profile's Preferences hold one: a persistent context."""
    preferences = tmp_path / "profile" / "Default" / "Preferences"
    preferences.parent.mkdir(parents=True)
    preferences.write_text(json.dumps({"profile": {"content_settings": {"exceptions": {"cookies": {
        f"{tool_url},{lms.base}": {"setting": COOKIES_BLOCKED}}}}}}))  # whose cookies, inside whose page
    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile", executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True, locale="th-TH")
    yield context
    context.close()


def test_when_the_frame_refuses_the_cookie_a_new_window_signs_in_once(refusing_context, lms, activity, tool_url):
    """No error page in the LMS: the frame offers a window of CivicLearn's own, whose link signs in once."""
    errors = console_errors(refusing_context)
    page = refusing_context.new_page()
    launches = []
    page.on("response", lambda response: launches.append(response) if response.url.endswith("/lti/launch") else None)
    page.goto(lms.base + "/course")
    frame = page.frame_locator("iframe")
    expect(frame.get_by_role("heading", level=1)).to_have_text("เปิด CivicLearn ในหน้าต่างใหม่")
    assert "Partitioned" in launches[0].header_value("set-cookie")  # sent, and refused by the browser

    offer = frame.get_by_role("link", name="เปิดในหน้าต่างใหม่")
    with page.expect_popup() as opened:
        offer.click()
    window = opened.value
    expect(window.get_by_role("heading", level=1)).to_have_text(activity.title.th)
    expect(window.locator(".signed-in")).to_contain_text(lms.next.name)

    again = refusing_context.new_page()
    answer = again.goto(tool_url + offer.get_attribute("href"))
    assert answer.status == 400
    expect(again.get_by_role("main")).to_contain_text("การเปิดกิจกรรมนี้ใช้ไปแล้ว")
    assert [error for error in errors if "status of 400" not in error] == []  # the reused link's refusal
