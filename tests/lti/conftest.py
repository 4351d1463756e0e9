"""An LMS (tests/lti/platform.py) on the loopback, registered with the app, and a launch through it."""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import requests

from civiclearn.extensions import db
from tests.lti.platform import LMS, FormFields


@pytest.fixture
def app(make_app):
    return make_app(LTI_ALLOW_PLAIN_HTTP=True)


@pytest.fixture(autouse=True)
def nothing_kept_between_tests():
    """The adapter keeps platforms' keys and access tokens per process: each test starts without them."""
    from civiclearn.lti import adapter
    adapter.forget_access_tokens()
    adapter.PLATFORM_KEYS.forget()


@pytest.fixture(scope="session")
def lms_server():
    platform = LMS()
    yield platform
    platform.close()


@pytest.fixture
def lms(app, lms_server) -> LMS:
    """The LMS, as new: the next launch a learner's, in a course of its own."""
    lms_server.reset()
    lms_server.tool_launch_url = app.config["PUBLIC_URL"] + "/lti/launch"
    return lms_server


@pytest.fixture
def register(app, make_school) -> Callable[..., int]:
    """Register an LMS with the app (approved, tied to a new school): returns the registration's id."""
    from civiclearn.lti.models import LtiDeployment, LtiPlatform

    def run(lms: LMS, state: str = "active", deployments: tuple[str, ...] | None = None) -> int:
        school_id = make_school()
        with app.app_context():
            platform = LtiPlatform(name="Moodle ทดสอบ", state=state, school_id=school_id,
                                   frame_origins=lms.base, **lms.urls)
            db.session.add(platform)
            db.session.flush()
            for deployment_id in deployments or (lms.deployment_id,):
                db.session.add(LtiDeployment(platform_id=platform.id, deployment_id=deployment_id))
            db.session.commit()
            return platform.id
    return run


@pytest.fixture
def registered(lms, register) -> int:
    return register(lms)


@dataclass
class Launched:
    login: object  # the tool's answer to the login initiation
    form: FormFields | None  # the LMS's auto-submitted form
    launch: object  # the tool's answer to the launch POST
    landing: object | None  # the tool's answer at /lti/arrive


def public_path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.fixture
def launch(client, lms) -> Callable[..., Launched]:
    """Log in through the LMS and launch, as a browser would: login initiation, the LMS's auth endpoint (over
    HTTP), the form POST to the tool, and its first page (unless `land` is false: a frame whose browser refused the
    cookie). `tamper(fields)` may change the form before it goes."""
    def run(on=None, tamper: Callable[[dict], None] | None = None, land: bool = True, **login_params) -> Launched:
        browser = on or client
        params = {"iss": lms.base, "login_hint": lms.next.subject, "target_link_uri": lms.tool_launch_url,
                  "client_id": lms.client_id, "lti_deployment_id": lms.deployment_id} | login_params
        login = browser.get("/lti/login", query_string={key: value for key, value in params.items() if value})
        if login.status_code != 302:
            return Launched(login, None, login, None)
        form = FormFields(requests.get(login.headers["Location"], timeout=10).text)
        if tamper:
            tamper(form.fields)
        answer = browser.post(public_path(form.action), data=form.fields)
        landing = browser.get(answer.headers["Location"]) if answer.status_code == 303 and land else None
        return Launched(login, form, answer, landing)
    return run
