"""Open Badges pages: the holder downloads their credential (and nobody else does), a wallet picks it up by the QR
code's address while it is fresh, and anyone checks a credential on the public page, in Thai or English."""

import json
import re

from civiclearn.badges import services
from civiclearn.certificates import services as certificates
from civiclearn.extensions import db
from tests.helpers import csrf_token, visible_text


def test_the_holder_downloads_the_credential_as_jwt_and_json(app, client, certified, sign_in):
    sign_in(certified.learner)
    page = client.get("/me/certificates").get_data(as_text=True)
    assert f"/credentials/{certified.code}.jwt" in page and f"/credentials/{certified.code}\"" in page
    token = client.get(f"/credentials/{certified.code}.jwt")
    assert token.status_code == 200 and token.mimetype == "application/vc+jwt"
    assert token.headers["Cache-Control"] == "no-store" and "attachment" in token.headers["Content-Disposition"]
    readable = client.get(f"/credentials/{certified.code}").get_json(force=True)
    with app.test_request_context():
        assert readable == services.readable(token.get_data(as_text=True))
    assert readable["id"].endswith(f"/credentials/{certified.code}")


def test_nobody_else_downloads_it(app, client, certified, make_learner, sign_in):
    assert client.get(f"/credentials/{certified.code}.jwt").status_code in (302, 303)  # to the sign-in
    sign_in(make_learner("คนอื่น"))
    assert client.get(f"/credentials/{certified.code}.jwt").status_code == 404
    assert client.get(f"/credentials/{certified.code}").status_code == 404


def test_a_revoked_certificates_credential_is_not_given_to_its_holder(app, client, certified, sign_in):
    with app.test_request_context():
        certificates.revoke(None, certificates.find(certified.code), "ผิดพลาด")
        db.session.commit()
    sign_in(certified.learner)
    assert client.get(f"/credentials/{certified.code}.jwt").status_code == 410
    assert f"/credentials/{certified.code}.jwt" not in client.get("/me/certificates").get_data(as_text=True)


def test_a_wallet_picks_it_up_by_the_qr_codes_address_while_it_is_fresh(app, client, certified, sign_in):
    sign_in(certified.learner)
    page = client.get("/me/certificates").get_data(as_text=True)
    assert '<figure class="pickup-qr"><svg' in page
    with app.test_request_context():
        from civiclearn.badges.views import _pickups
        token = _pickups().dumps(certified.code)
    wallet = app.test_client()  # not signed in
    picked = wallet.get(f"/credentials/pick-up/{token}")
    assert picked.status_code == 200 and picked.get_data(as_text=True).count(".") == 2
    assert wallet.get(f"/credentials/pick-up/{token}x").status_code == 404  # a changed address opens nothing


def check_page(client, **data):
    token = csrf_token(client.get("/credentials/check").get_data(as_text=True))
    response = client.post("/credentials/check", data={"csrf_token": token, **data})
    return response.status_code, visible_text(response.get_data(as_text=True))


def test_the_public_checker_says_what_it_found(app, client, certified, english):
    with app.test_request_context():
        signed = services.credential_of(certificates.find(certified.code)).jwt
        db.session.commit()
        readable = services.readable(signed)
    status, text = check_page(client, credential=signed)
    assert status == 200 and "Genuine and valid" in text and "สมศรี ใจดี" in text
    status, text = check_page(client, credential=json.dumps(readable, ensure_ascii=False))
    assert status == 200 and "Genuine and valid" in text
    readable["credentialSubject"]["identifier"][-1]["identityHash"] = "ผู้อื่น"
    status, text = check_page(client, credential=json.dumps(readable, ensure_ascii=False))
    assert status == 422 and "changed after it was issued" in text
    status, text = check_page(client, credential="hello")
    assert status == 422 and "not a credential we can read" in text


def test_the_checker_in_thai_and_its_link_from_the_certificate_page(app, client, certified):
    with app.test_request_context():
        signed = services.credential_of(certificates.find(certified.code)).jwt
        certificates.revoke(None, certificates.find(certified.code), "ออกผิดคน")
        db.session.commit()
    status, text = check_page(client, credential=signed)
    assert status == 422 and "เพิกถอน" in text
    assert 'href="/credentials/check"' in client.get(f"/v/{certified.code}").get_data(as_text=True)
    assert re.search(r"<textarea[^>]*name=\"credential\"", client.get("/credentials/check").get_data(as_text=True))


def test_the_checker_refuses_a_post_without_its_token(client):
    assert client.post("/credentials/check", data={"credential": "x"}).status_code == 400
