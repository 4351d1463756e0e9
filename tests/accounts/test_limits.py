"""Abuse limits that hold: counted once for the whole server, only wrong tries counted against an address,
a pause that tells a stranger nothing, every limit set from the environment."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from urllib.parse import urlencode

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from civiclearn import codes
from civiclearn.accounts.models import User
from civiclearn.accounts.services import STARTING_PIN_HASH, unused_codes
from civiclearn.config import ROOT
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.ratelimits import RateLimitCounter
from tests.accounts.test_accounts import field_error
from tests.helpers import csrf_token, submit

PIN = "583920"


def cheap_learners(app, count: int) -> list[str]:
    """`count` learners whose PIN is hashed at the starting-PIN cost: these tests count tries, not hashes."""
    hashed = generate_password_hash(PIN, method=STARTING_PIN_HASH)
    with app.app_context():
        found = unused_codes(count)
        db.session.add_all([User(display_name=f"ผู้เรียน {number}", learner_code=code, pin_hash=hashed,
                                 consented_at=utcnow()) for number, code in enumerate(found)])
        db.session.commit()
    return found


def an_unused_code(app) -> str:
    with app.app_context():
        return unused_codes(1)[0]


def test_a_lab_behind_one_address_signs_in_two_hundred_learners(app):
    """150 learners from one address were refused 1,931 times in 2.5 minutes: right sign-ins must not count.
    Every test request comes from 127.0.0.1, as a lab's PCs behind one NAT address do."""
    refused = []
    for number, code in enumerate(cheap_learners(app, 200)):
        pc = app.test_client()
        token = csrf_token(pc.get("/sign-in").get_data(as_text=True))
        if number % 4 == 0:  # a quarter of them mistype their PIN first
            wrong = pc.post("/sign-in", data={"csrf_token": token, "code": code, "pin": "000000"})
            refused += [code] if wrong.status_code != 200 else []
        right = pc.post("/sign-in", data={"csrf_token": token, "code": code, "pin": PIN})
        refused += [code] if right.status_code != 303 else []
    assert refused == []


def test_only_wrong_tries_use_up_an_addresss_allowance_and_a_daily_cap_holds(make_app):
    app = make_app(SIGN_IN_ADDRESS_LIMIT="100 per 5 minutes;3 per day")
    learners = cheap_learners(app, 6)
    browser = app.test_client()
    for code in learners[:5]:  # right sign-ins, as many as you like
        assert submit(browser, "/sign-in", {"code": code, "pin": PIN}).status_code == 303
        submit(browser, "/", {}, action="/sign-out")
    for code in learners[:3]:
        assert submit(browser, "/sign-in", {"code": code, "pin": "000000"}).status_code == 200
    refused = submit(browser, "/sign-in", {"code": learners[5], "pin": PIN})
    assert refused.status_code == 429  # the day's wrong tries are used up: this address waits
    assert "ลองหลายครั้งเกินไป" in refused.get_data(as_text=True)


def test_a_pause_tells_a_stranger_nothing_about_whether_a_code_exists(app, client, make_learner):
    learner = make_learner()
    unknown = an_unused_code(app)
    for attempt in range(1, 8):
        known = field_error(submit(client, "/sign-in", {"code": learner.code, "pin": "000000"}).get_data(as_text=True), "pin")
        stranger = field_error(submit(client, "/sign-in", {"code": unknown, "pin": "000000"}).get_data(as_text=True), "pin")
        assert known == stranger, attempt
        assert ("หยุดไว้ 15 นาที" in known) == (attempt >= 5), (attempt, known)
    right = field_error(submit(client, "/sign-in", {"code": learner.code, "pin": learner.pin}).get_data(as_text=True), "pin")
    assert right == stranger  # the right PIN, while paused, reads exactly as a code nobody has
    with app.app_context():
        assert db.session.get(User, learner.id).locked_until is not None  # the account itself is locked too


def test_a_right_pin_forgets_the_wrong_tries_before_it(app, client, make_learner):
    learner = make_learner()
    for _ in range(4):
        submit(client, "/sign-in", {"code": learner.code, "pin": "000000"})
    assert submit(client, "/sign-in", {"code": learner.code, "pin": learner.pin}).status_code == 303
    submit(client, "/", {}, action="/sign-out")
    for _ in range(4):
        assert "หยุดไว้" not in submit(client, "/sign-in", {"code": learner.code, "pin": "000000"}).get_data(as_text=True)


def test_counts_are_kept_where_every_worker_reads_them(make_app):
    """Two apps on one database, as gunicorn's two workers: the tries counted by one pause the code for the
    other, and the counts are rows of the database (not a process's memory)."""
    first, second = make_app(), make_app()
    code = an_unused_code(first)
    for _ in range(4):
        submit(first.test_client(), "/sign-in", {"code": code, "pin": "000000"})
    with first.app_context():
        counted = db.session.scalar(select(RateLimitCounter.count).where(
            RateLimitCounter.key == f"sign-in-failures:code:{code}"))
    assert counted == 4
    fifth = submit(second.test_client(), "/sign-in", {"code": code, "pin": "000000"}).get_data(as_text=True)
    assert "หยุดไว้ 15 นาที" in field_error(fifth, "pin")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def gunicorn(make_app, database_url, tmp_path):
    """The app served by gunicorn with two worker processes, as `make run` serves it, on the test database,
    with a small limit on wrong sign-in tries per address. (make_app empties the tables afterwards.)"""
    make_app()
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret-key",
           "CIVICLEARN_SIGN_IN_ADDRESS_LIMIT": "4 per 5 minutes"}
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as output:
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
                                   "wsgi:app"], cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url + "/sign-in", server, log)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for(url: str, server: subprocess.Popen, log) -> None:
    for _ in range(300):
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.1)
    pytest.fail("gunicorn did not start: " + log.read_text())


def _wrong_try(url: str) -> int:
    """One browser: open the sign-in page, send a well-formed code with a wrong PIN; the status."""
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    with browser.open(url + "/sign-in", timeout=30) as page:
        token = csrf_token(page.read().decode())
    data = urlencode({"csrf_token": token, "code": codes.new_code(), "pin": "000000"}).encode()
    try:
        with browser.open(url + "/sign-in", data=data, timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code


def test_two_gunicorn_workers_count_an_addresss_tries_once(gunicorn):
    """Sixteen browsers at once keep both workers busy; with a count per worker, up to 8 would get through."""
    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(_wrong_try, [gunicorn] * 16))
    answered = statuses.count(200)
    assert statuses.count(429) + answered == 16
    assert 4 <= answered <= 4 + 2  # a try tested by each worker at the same moment may slip through
    assert _wrong_try(gunicorn) == 429


def test_hsts_is_sent_when_served_over_https(make_app):
    plain = make_app().test_client().get("/sign-in")
    assert "Strict-Transport-Security" not in plain.headers
    secure = make_app(SESSION_COOKIE_SECURE=True).test_client().get("/sign-in", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
