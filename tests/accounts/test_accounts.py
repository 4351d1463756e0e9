"""Registering with a name and PIN, signing in with the learner code, signing out."""

import re

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from civiclearn import codes
from civiclearn.accounts import services
from civiclearn.accounts.models import User
from civiclearn.extensions import db
from civiclearn.ratelimits import RateLimitCounter
from tests.helpers import submit, visible_text


def field_error(html: str, field: str) -> str:
    match = re.search(rf'<p class="error-message" id="{field}-error">(.*?)</p>', html, re.S)
    return visible_text(match.group(1)) if match else ""


def test_registration_stores_a_hashed_pin_and_a_well_formed_code(app, client):
    response = submit(client, "/register", {"display_name": "Anan", "pin": "480213", "pin_confirm": "480213", "consent": "y"})
    assert response.status_code == 303
    with app.app_context():
        learner = db.session.scalar(select(User))
        assert codes.is_well_formed(learner.learner_code)
        assert "480213" not in learner.pin_hash and check_password_hash(learner.pin_hash, "480213")
        assert learner.birth_year is None  # left blank: not given (not an empty text)
    assert codes.display(learner.learner_code) in client.get("/card").get_data(as_text=True)


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"display_name": "   ", "pin": "4826", "pin_confirm": "4826", "consent": "y"}, "display_name", "กรุณาใส่ชื่อ"),
    ({"display_name": "x" * 61, "pin": "4826", "pin_confirm": "4826", "consent": "y"}, "display_name", "ใช้ได้ไม่เกิน 60 ตัวอักษร"),
    ({"display_name": "A\x07B", "pin": "4826", "pin_confirm": "4826", "consent": "y"}, "display_name", "มีตัวอักษรแปลก ๆ ปนอยู่"),
    ({"display_name": "Anan", "pin": "12a4", "pin_confirm": "12a4", "consent": "y"}, "pin", "รหัส PIN ต้องเป็นตัวเลข 4 ถึง 6 หลักเท่านั้น"),
    ({"display_name": "Anan", "pin": "123", "pin_confirm": "123", "consent": "y"}, "pin", "รหัส PIN ต้องเป็นตัวเลข 4 ถึง 6 หลักเท่านั้น"),
    ({"display_name": "Anan", "pin": "1234567", "pin_confirm": "1234567", "consent": "y"}, "pin", "รหัส PIN ต้องเป็นตัวเลข 4 ถึง 6 หลักเท่านั้น"),
    ({"display_name": "Anan", "pin": "4826", "pin_confirm": "4827", "consent": "y"}, "pin_confirm", "รหัส PIN ทั้งสองช่องไม่ตรงกัน"),
])
def test_bad_registration_input_gets_its_error_next_to_the_field(app, client, data, field, message):
    response = submit(client, "/register", data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in field_error(html, field)
    assert f'aria-describedby="{field}-hint {field}-error"' in html or f'aria-describedby="{field}-error"' in html
    with app.app_context():
        assert db.session.scalar(select(User)) is None


def test_errors_are_in_english_after_switching_language(client):
    client.post("/language", data={"lang": "en", "csrf_token": _token(client)})
    html = submit(client, "/register", {"display_name": "", "pin": "1", "pin_confirm": "2"}).get_data(as_text=True)
    assert field_error(html, "display_name") == "Error: Enter a name."
    assert field_error(html, "pin") == "Error: A PIN is 4 to 6 digits (0-9), nothing else."
    assert '<html lang="en">' in html


def _token(client) -> str:
    from tests.helpers import csrf_token
    return csrf_token(client.get("/sign-in").get_data(as_text=True))


def test_sign_in_accepts_the_code_as_people_type_or_scan_it(client, make_learner, sample):
    learner = make_learner()
    typed = f" {learner.code[:3].lower()} - {learner.code[3:].lower()} "
    response = submit(client, "/sign-in", {"code": typed, "pin": learner.pin})
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert learner.name in visible_text(client.get("/").get_data(as_text=True))


def test_wrong_pin_is_refused_without_saying_which_part_was_wrong(client, make_learner):
    learner = make_learner()
    response = submit(client, "/sign-in", {"code": learner.code, "pin": "0000"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "รหัสผู้เรียนหรือรหัส PIN ไม่ถูกต้อง" in field_error(html, "pin")
    assert 'value="0000"' not in html  # a PIN is never written back into the page
    unknown = submit(client, "/sign-in", {"code": "AAAAAA", "pin": "0000"}).get_data(as_text=True)
    assert field_error(unknown, "pin") == field_error(html, "pin")


def test_a_malformed_code_is_explained(client):
    html = submit(client, "/sign-in", {"code": "ABC-12", "pin": "1234"}).get_data(as_text=True)
    assert "รหัสผู้เรียนมีตัวอักษรและตัวเลข 6 ตัว" in field_error(html, "code")


def test_wrong_tries_pause_only_the_code_tried(app, make_learner):
    learner, other = make_learner(), make_learner(name="คนที่สอง")
    client = app.test_client()
    for _ in range(5):
        assert submit(client, "/sign-in", {"code": learner.code, "pin": "9999"}).status_code == 200
    paused = submit(client, "/sign-in", {"code": learner.code, "pin": learner.pin}).get_data(as_text=True)
    assert "ลองผิดหลายครั้งเกินไป" in field_error(paused, "pin")
    # another learner at the same kiosk (same address) can still sign in
    assert submit(client, "/sign-in", {"code": other.code, "pin": other.pin}).status_code == 303


def test_sign_out_ends_the_session(client, learner, sample):
    lesson = "/courses/getting-started/how-it-works/reading-a-lesson"
    assert client.get(lesson).status_code == 200
    response = submit(client, "/", {}, action="/sign-out")
    assert response.status_code == 303
    assert "ออกจากระบบแล้ว" in visible_text(client.get("/").get_data(as_text=True))
    again = client.get(lesson)
    assert again.status_code == 302 and again.headers["Location"].startswith("/sign-in?next=")
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_sign_in_only_redirects_within_the_site(client, make_learner):
    learner = make_learner()
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = submit(client, f"/sign-in?next={target}", {"code": learner.code, "pin": learner.pin},
                          action="/sign-in")
        assert response.headers["Location"] == "/"
        client.post("/sign-out", data={"csrf_token": _token(client)})


def test_a_code_clash_is_retried_with_a_new_code(app, make_learner, monkeypatch):
    taken = make_learner().code
    offered = iter([taken, taken, "WXY347"])
    monkeypatch.setattr(codes, "new_code", lambda: next(offered))
    with app.app_context():
        learner = services.register_learner("Somchai", "4826")
        db.session.commit()
        assert learner.learner_code == "WXY347"
        assert db.session.scalar(select(db.func.count()).select_from(User)) == 2


def test_a_double_clicked_registration_makes_one_account(app, client):
    from tests.helpers import find_form
    form = find_form(client.get("/register").get_data(as_text=True), form_id="register-form")
    data = {**dict(form["fields"]), "display_name": "Malee", "pin": "4826", "pin_confirm": "4826", "consent": "y"}
    # Both clicks leave the same browser with the same cookie, before the first answer arrives.
    cookie = {"Cookie": f"session={client.get_cookie('session').value}"}
    clicks = [app.test_client(use_cookies=False).post("/register", data=data, headers=cookie) for _ in range(2)]
    assert [click.status_code for click in clicks] == [303, 303]
    assert {click.headers["Location"] for click in clicks} == {"/card"}
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(User)) == 1
    signed_in = [click.headers["Set-Cookie"].split(";")[0] for click in clicks]
    cards = [app.test_client(use_cookies=False).get("/card", headers={"Cookie": c}).get_data(as_text=True) for c in signed_in]
    codes_shown = [re.search(r'class="code-display"[^>]*>([^<]+)<', card).group(1) for card in cards]
    assert codes_shown[0] == codes_shown[1] and all("Malee" in card for card in cards)


def test_sign_in_works_with_the_keyboard_left_in_thai(client, make_learner):
    """A kiosk left in the Thai layout (or a scanner typing into it) sends Thai characters for the keys."""
    learner = make_learner(pin="4826")
    latin = "1234567890qwertyuiopasdfghjklzxcvbnm"
    thai = "ๅ/-ภถุึคตจๆไำพะัีรนยฟหกดเ้่าสผปแอิืท"
    typed_code = learner.code.lower().translate(str.maketrans(latin, thai))
    response = submit(client, "/sign-in", {"code": typed_code, "pin": "๔๘๒๖"})  # and Thai digits for the PIN
    assert response.status_code == 303


def test_an_idle_session_signs_itself_out(client, learner, sample):
    assert client.get("/card").status_code == 200
    with client.session_transaction() as session:
        session["seen_at"] -= 31 * 60
    response = client.get("/card")
    assert response.status_code == 303 and response.headers["Location"] == "/sign-in?next=/card"
    page = visible_text(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "ระบบออกจากบัญชีของคุณให้แล้ว" in page
    assert client.get("/card").status_code == 302  # signed out for good


def test_a_session_in_use_sends_a_new_cookie_only_when_its_idle_clock_moves(client, learner, sample):
    """Reading page after page sends no new session cookie (signing one costs every answer), but the idle clock
    still moves often enough that a learner reading is never signed out."""
    assert client.get("/card").status_code == 200
    assert "Set-Cookie" not in client.get("/card").headers
    with client.session_transaction() as session:
        session["seen_at"] -= 29 * 60  # 29 minutes of reading one page: the next page is still in time
    response = client.get("/card")
    assert response.status_code == 200 and "session=" in response.headers["Set-Cookie"]
    with client.session_transaction() as session:
        session["seen_at"] -= 2 * 60  # 2 more minutes: 31 since the page before, 2 since the last one
    assert client.get("/card").status_code == 200


def test_a_visitor_or_a_learner_on_the_move_gets_no_new_cookie_page_after_page(app, client, learner, sample):
    """A new cookie only when the session changes: not on a visitor's second page, nor for a learner whose phone
    changed networks (another address) or whose browser updated itself (another User-Agent)."""
    visitor = app.test_client()
    assert "session=" in visitor.get("/courses/getting-started").headers["Set-Cookie"]  # their form token
    assert "Set-Cookie" not in visitor.get("/courses/getting-started").headers
    assert client.get("/card").status_code == 200
    moved = client.get("/card", environ_base={"REMOTE_ADDR": "10.1.2.3"}, headers={"User-Agent": "Updated/2.0"})
    assert moved.status_code == 200 and "Set-Cookie" not in moved.headers


@pytest.mark.xdist_group("redis-database-15")  # it empties that database: one test at a time, when run in parallel
def test_sign_in_limits_are_shared_by_every_worker_through_redis(make_app, make_learner):
    """With Redis storage (a deployment that sets it), a second app process sees the tries counted by the first,
    and the counts are in Redis, not in the database."""
    import redis
    storage = "redis://127.0.0.1:6379/15"
    server = redis.Redis.from_url(storage)
    server.flushdb()
    first = make_app(RATELIMIT_STORAGE_URI=storage)
    learner = make_learner()
    for _ in range(4):
        submit(first.test_client(), "/sign-in", {"code": learner.code, "pin": "0000"})
    assert any(b"sign-in-failures" in key for key in server.keys())
    second = make_app(RATELIMIT_STORAGE_URI=storage)
    fifth = submit(second.test_client(), "/sign-in", {"code": learner.code, "pin": "0000"}).get_data(as_text=True)
    assert "ลองผิดหลายครั้งเกินไป" in field_error(fifth, "pin")
    with second.app_context():
        assert db.session.scalar(select(func.count()).select_from(RateLimitCounter)) == 0
    server.flushdb()


def test_a_scanned_code_sent_without_a_pin_asks_for_the_pin_without_an_error(client, make_learner):
    """A card scanner types the code and presses Enter before the learner types the PIN."""
    learner = make_learner()
    page = submit(client, "/sign-in", {"code": learner.code.lower(), "pin": ""}).get_data(as_text=True)
    assert "error-summary" not in page and 'aria-invalid' not in page
    assert f'value="{learner.code}"' in page and re.search(r'<input[^>]*autofocus[^>]*id="pin"|<input[^>]*id="pin"[^>]*autofocus', page)
    assert "ต่อไปพิมพ์รหัส PIN แล้วกด เข้าสู่ระบบ" in visible_text(page)
    page = submit(client, "/sign-in", {"code": "", "pin": ""}).get_data(as_text=True)
    assert "error-summary" in page and "autofocus" not in page  # nothing typed at all: the usual errors
    assert submit(client, "/sign-in", {"code": learner.code, "pin": learner.pin}).status_code == 303
