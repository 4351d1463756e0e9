"""Every bad launch gets a clear page in the person's language and a log line, never a 500, and signs no one in."""

import time

import jwt
import pytest
import requests
from sqlalchemy import select

from civiclearn.accounts.models import User
from civiclearn.extensions import db
from tests.lti.conftest import public_path
from tests.lti.platform import LTI, FormFields, key_pair

REFUSED_TH = "CivicLearn เปิดกิจกรรมนี้ไม่ได้"


def resigned(lms, changes: dict, remove: tuple[str, ...] = (), **signing):
    """A tamper(): the LMS's token with these claims changed (or removed), signed again as the LMS signs it."""
    def tamper(fields: dict) -> None:
        claims = jwt.decode(fields["id_token"], options={"verify_signature": False})
        claims.update(changes)
        for name in remove:
            claims.pop(name, None)
        fields["id_token"] = lms.sign(claims, **signing)
    return tamper


def assert_refused(response, says: str, caplog) -> None:
    page = response.get_data(as_text=True)
    assert response.status_code == 400, page
    assert REFUSED_TH in page and says in page
    assert any("LTI launch refused" in record.getMessage() for record in caplog.records)


def nobody_signed_in(app) -> bool:
    with app.app_context():
        return db.session.scalar(select(db.func.count(User.id))) == 0


@pytest.mark.parametrize("login_params", [{"iss": "https://lms.unknown.example"}, {"client_id": "someone-else"}])
def test_an_unknown_issuer_or_client_id(app, lms, registered, launch, login_params, caplog):
    launched = launch(**login_params)
    assert_refused(launched.login, "ยังไม่ได้ลงทะเบียน", caplog)


def test_a_login_without_a_login_hint(app, lms, registered, launch, caplog):
    assert_refused(launch(login_hint="").login, "ไม่ครบ", caplog)


def test_a_platform_not_approved_yet(app, lms, register, launch, caplog):
    register(lms, state="pending")
    assert_refused(launch().login, "ยังไม่ได้ลงทะเบียน", caplog)


def test_an_unknown_deployment(app, lms, registered, launch, caplog):
    lms.next.extra = {LTI + "deployment_id": "deployment-unknown"}
    assert_refused(launch().launch, "ไม่ได้ตั้งค่า", caplog)
    assert nobody_signed_in(app)


def test_a_token_for_another_tool(app, lms, registered, launch, caplog):
    """The audience names a client id this issuer never gave us: to us, an unknown registration."""
    launched = launch(tamper=resigned(lms, {"aud": "another-tool", "azp": "another-tool"}))
    assert_refused(launched.launch, "ยังไม่ได้ลงทะเบียน", caplog)
    assert nobody_signed_in(app)


def test_a_token_naming_us_among_others_without_azp(app, lms, registered, launch, caplog):
    launched = launch(tamper=resigned(lms, {"aud": [lms.client_id, "another-tool"]}, remove=("azp",)))
    assert_refused(launched.launch, "ไม่สามารถตรวจสอบ", caplog)
    assert nobody_signed_in(app)


@pytest.mark.parametrize("times", [{"exp": -60, "iat": -400}, {"iat": 3600, "exp": 3900}], ids=["expired", "future"])
def test_an_expired_or_not_yet_valid_token(app, lms, registered, launch, times, caplog):
    now = int(time.time())
    launched = launch(tamper=resigned(lms, {name: now + offset for name, offset in times.items()}))
    assert_refused(launched.launch, "นาฬิกา", caplog)
    assert nobody_signed_in(app)


def test_a_token_without_an_expiry(app, lms, registered, launch, caplog):
    assert_refused(launch(tamper=resigned(lms, {}, remove=("exp",))).launch, "ไม่ครบ", caplog)


def test_a_token_signed_with_another_key(app, lms, registered, launch, caplog):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    assert forger != key_pair()[0]
    assert_refused(launch(tamper=resigned(lms, {}, private_pem=forger)).launch, "ไม่สามารถตรวจสอบ", caplog)
    assert nobody_signed_in(app)


@pytest.mark.parametrize("claim", ["sub", LTI + "resource_link", LTI + "roles", LTI + "version"])
def test_missing_claims(app, lms, registered, launch, claim, caplog):
    assert_refused(launch(tamper=resigned(lms, {}, remove=(claim,))).launch, "ไม่ครบ", caplog)
    assert nobody_signed_in(app)


def test_a_launch_sent_again_is_refused(app, lms, registered, launch, client, caplog):
    launched = launch()
    assert launched.launch.status_code == 303
    again = app.test_client().post(public_path(launched.form.action), data=launched.form.fields)
    assert_refused(again, "ใช้ไปแล้ว", caplog)


def test_a_used_token_with_a_fresh_state_is_refused(app, lms, registered, launch, client, caplog):
    """The nonce: a captured token replayed after a new login of one's own (whose state is fresh)."""
    first = launch()
    login = app.test_client().get("/lti/login", query_string={
        "iss": lms.base, "login_hint": "x", "target_link_uri": lms.tool_launch_url, "client_id": lms.client_id})
    fresh = FormFields(requests.get(login.headers["Location"], timeout=10).text)
    replay = {"id_token": first.form.fields["id_token"], "state": fresh.fields["state"]}
    assert_refused(app.test_client().post("/lti/launch", data=replay), "ใช้ไปแล้ว", caplog)


def test_a_launch_with_no_state(app, lms, registered, launch, caplog):
    launched = launch(tamper=lambda fields: fields.pop("state"))
    assert_refused(launched.launch, "ไม่สามารถตรวจสอบ", caplog)


def test_garbage_instead_of_a_token(app, lms, registered, launch, caplog):
    launched = launch(tamper=lambda fields: fields.update(id_token="not.a-token"))
    assert_refused(launched.launch, "ไม่สามารถตรวจสอบ", caplog)


def test_the_page_speaks_english_to_an_english_reader(app, lms, registered, launch, client, english, caplog):
    launched = launch(iss="https://lms.unknown.example")
    page = launched.login.get_data(as_text=True)
    assert launched.login.status_code == 400
    assert "CivicLearn cannot open this activity" in page and "not registered with CivicLearn" in page
