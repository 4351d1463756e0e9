"""Real-browser fixtures: Debian's Chromium driven by Playwright (never a downloaded browser),
the app served from a thread, and an axe-core scan that fails on any WCAG A/AA violation.

Without /usr/bin/chromium these tests are skipped with install instructions; with
CIVICLEARN_REQUIRE_TOOLS=1 (set by .ci/run) a missing browser fails the run instead.
"""

import os
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.helpers import missing_tool

CHROMIUM = Path(os.environ.get("CIVICLEARN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-quic",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
WCAG_TAGS = {"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        missing_tool(f"{CHROMIUM} not found; install it with: sudo apt-get install chromium")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


RESPONSE_KEY = "tests.response"


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args) -> None:
        """Keep test output to what failed; the app's own errors are still logged."""

    def connection_dropped(self, error, environ=None) -> None:
        """Close the response when the browser hung up mid-way (it does, for a favicon or a page it
        left): Werkzeug's development server then skips closing it, and the open file it left
        turned into a ResourceWarning that failed an unrelated test."""
        response = (environ or {}).get(RESPONSE_KEY)
        if hasattr(response, "close"):
            response.close()


def _keeping_response(app):
    def app_keeping_its_response(environ, start_response):
        environ[RESPONSE_KEY] = response = app(environ, start_response)
        return response
    return app_keeping_its_response


@contextmanager
def serving(app):
    """`app` served over HTTP on a free port, from a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, _keeping_response(app), threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


@pytest.fixture
def live_server(app, load_courses):
    """The app with the sample course, served over HTTP on a free port."""
    from tests.conftest import SAMPLE_COURSE
    load_courses(SAMPLE_COURSE)
    with serving(app) as url:
        yield url


def sign_in_learner(page, learner) -> None:
    """Sign `learner` in on the Thai sign-in page, as a learner types their code and PIN."""
    from playwright.sync_api import expect
    page.goto("/sign-in")
    page.get_by_label("รหัสผู้เรียน").fill(learner.code)
    page.get_by_label("รหัส PIN").fill(learner.pin)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.locator(".user-name")).to_be_visible()


MISSING_PAGE = "/no-such-page"  # tests open it on purpose; its 404 is not an error of the page
REFUSED_LAUNCH = "/lti/login?iss=https://unknown.example"  # the same: an LMS we don't know, refused with 400


def _is_error(message) -> bool:
    url = message.location.get("url", "")
    return message.type == "error" and MISSING_PAGE not in url and not url.endswith(REFUSED_LAUNCH)


@pytest.fixture
def page(browser, live_server):
    """A phone-sized page; any console error (a CSP violation, a failed load) fails the test."""
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844}, locale="th-TH")
    tab = context.new_page()
    errors = []
    tab.on("console", lambda message: errors.append(message.text) if _is_error(message) else None)
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == []


def accessibility_violations(page) -> list[str]:
    """WCAG 2.x A/AA violations axe-core finds on the page, as readable lines."""
    from axe_playwright_python.sync_playwright import Axe
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": sorted(WCAG_TAGS)}})
    return [f"{v['id']} ({v['impact']}): {v['help']} - {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]]


@pytest.fixture
def assert_accessible():
    """Check the page as it stands: no WCAG A/AA violation, and no sideways scrolling on a phone."""
    def check(page) -> None:
        assert accessibility_violations(page) == [], page.url
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"
    return check
