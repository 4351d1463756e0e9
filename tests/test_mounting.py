"""CivicLearn inside another Flask app (civiclearn.init_app): its pages under the prefix, links and cookies too,
the host's own pages untouched."""

import pytest
from flask import Flask, session

from civiclearn import init_app
from civiclearn.courses.store import load_courses
from tests.conftest import SAMPLE_COURSE, _empty_tables, _test_config
from tests.helpers import submit


@pytest.fixture
def host(database_url):
    """A school portal with CivicLearn at /learn (the tables emptied after, as for every test's app)."""
    portal = Flask("portal")
    portal.secret_key = "the-host-s-own"
    portal.add_url_rule("/", "portal", portal_page)
    learning = init_app(portal, "/learn", _test_config(database_url, SAMPLE_COURSE.parent,
                                                        PUBLIC_URL="http://127.0.0.1:5000/learn"))
    with learning.app_context():
        load_courses(SAMPLE_COURSE)
    yield portal
    _empty_tables(learning)


def portal_page():
    session["portal"] = "kept"
    return "School portal"


def test_civiclearn_mounted_under_a_prefix_of_a_host_app(host):
    client = host.test_client()
    assert client.get("/").get_data(as_text=True) == "School portal"
    page = client.get("/learn/courses/getting-started")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'href="/learn/static/css/app.css' in html and 'action="/learn/language' in html
    registered = submit(client, "/learn/register", {"display_name": "สมศรี ใจดี", "pin": "4826",
                                                    "pin_confirm": "4826", "consent": "y"}, action="/learn/register")
    assert registered.status_code == 303 and registered.headers["Location"] == "/learn/card"
    cookie = client.get_cookie("civiclearn_session", path="/learn")
    assert cookie is not None and client.get_cookie("session") is not None  # each app its own cookie
    assert "สมศรี ใจดี" in client.get("/learn/card").get_data(as_text=True)
