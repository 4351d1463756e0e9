"""Registering an LMS: dynamically (the LMS administrator pastes one address), or by hand on the admin page;
approving it; our public keys and their rotation."""

import jwt
from sqlalchemy import select

from civiclearn.extensions import db
from civiclearn.lti.models import LtiKey, LtiPlatform
from tests.helpers import csrf_token, submit

REGISTRATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"


def test_dynamic_registration_lands_pending_until_an_admin_approves_it(app, client, lms, launch, sign_in_admin,
                                                                       make_school):
    """The LMS opens our registration address with its configuration and a one-time token."""
    page = client.get("/lti/register", query_string={
        "openid_configuration": lms.base + "/.well-known/openid-configuration",
        "registration_token": lms.registration_token})
    text = page.get_data(as_text=True)
    assert page.status_code == 200, text
    assert "lti-registered.js" in text  # tells the LMS's page we are done
    assert f"frame-ancestors 'self' {lms.base}" in page.headers["Content-Security-Policy"]
    sent = lms.registered[0]
    assert sent["initiate_login_uri"] == app.config["PUBLIC_URL"] + "/lti/login"
    assert sent["redirect_uris"] == [app.config["PUBLIC_URL"] + "/lti/launch"]
    assert sent["jwks_uri"] == app.config["PUBLIC_URL"] + "/lti/jwks"
    assert sent["token_endpoint_auth_method"] == "private_key_jwt"
    assert {message["type"] for message in sent[REGISTRATION]["messages"]} == {"LtiResourceLinkRequest",
                                                                               "LtiDeepLinkingRequest"}
    with app.app_context():
        platform = db.session.scalar(select(LtiPlatform))
        assert (platform.state, platform.issuer, platform.client_id) == ("pending", lms.base, lms.client_id)
        assert [item.deployment_id for item in platform.deployments] == [lms.deployment_id]
        platform_id = platform.id
    assert launch(on=app.test_client()).login.status_code == 400  # pending: refused

    school = make_school()
    sign_in_admin()
    assert "Waiting for approval" in client.get("/admin/lti").get_data(as_text=True)
    approved = submit(client, f"/admin/lti/{platform_id}", {"school": str(school)},
                      action=f"/admin/lti/{platform_id}/approve")
    assert approved.status_code == 303
    assert launch(on=app.test_client()).launch.status_code == 303


def test_a_registration_from_a_plain_http_lms_is_refused_unless_allowed(make_app, lms):
    strict = make_app()  # the default: LMSs over https only
    page = strict.test_client().get("/lti/register", query_string={
        "openid_configuration": lms.base + "/.well-known/openid-configuration", "registration_token": "x"})
    assert page.status_code == 400
    assert "ลงทะเบียนกับ LMS ของคุณไม่สำเร็จ" in page.get_data(as_text=True)
    assert lms.registered == []


def test_a_registration_with_a_wrong_token_is_refused(app, client, lms):
    page = client.get("/lti/register", query_string={
        "openid_configuration": lms.base + "/.well-known/openid-configuration", "registration_token": "guessed"})
    assert page.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(db.func.count(LtiPlatform.id))) == 0


def test_an_admin_registers_a_platform_by_hand_and_can_disable_it(app, client, lms, launch, sign_in_admin,
                                                                  make_school):
    school = make_school()
    sign_in_admin()
    admin = client
    values = admin.get("/admin/lti").get_data(as_text=True)
    for path in ("/lti/login", "/lti/launch", "/lti/jwks", "/lti/register", "/lti/config.json"):
        assert app.config["PUBLIC_URL"] + path in values
    fields = {"name": "Moodle ทดสอบ", "deployments": f"{lms.deployment_id}\n  \n", "school": str(school),
              "frame_origins": ""} | {name: value for name, value in lms.urls.items()}
    added = submit(admin, "/admin/lti", fields)
    assert added.status_code == 303, added.get_data(as_text=True)
    assert launch(on=app.test_client()).landing.status_code == 303
    again = submit(admin, "/admin/lti", fields)
    assert again.status_code == 400 and "registered already" in again.get_data(as_text=True)
    platform_url = added.headers["Location"]
    page = admin.get(platform_url).get_data(as_text=True)
    assert f"\n{lms.deployment_id}</textarea>" in page and 'value="Moodle ทดสอบ"' in page  # the form shows it as saved
    token = csrf_token(page)
    assert admin.post(platform_url + "/disable", data={"csrf_token": token}).status_code == 303
    assert launch(on=app.test_client()).login.status_code == 400


def test_the_form_says_what_is_wrong(app, client, sign_in_admin):
    sign_in_admin()
    page = submit(client, "/admin/lti", {"name": "x", "issuer": "moodle.example", "client_id": "",
                                         "deployments": "", "frame_origins": "https://a.example/path"})
    text = page.get_data(as_text=True)
    assert page.status_code == 400
    for message in ("Type the whole address, starting with https://", "Type the client ID the LMS gave CivicLearn.",
                    "Type at least one deployment ID.", "without a path", "Choose a school."):
        assert message in text


def test_our_public_keys_rotate_without_breaking_what_the_old_key_signed(app, client, sign_in_admin):
    first = client.get("/lti/jwks").get_json()["keys"]
    assert len(first) == 1 and first[0]["alg"] == "RS256" and "d" not in first[0]  # public only
    with app.app_context():
        old = db.session.scalar(select(LtiKey))
        signed = jwt.encode({"iss": "civiclearn"}, old.private_pem, algorithm="RS256", headers={"kid": old.kid})
    sign_in_admin()
    token = csrf_token(client.get("/admin/lti").get_data(as_text=True))
    assert client.post("/admin/lti/key", data={"csrf_token": token}).status_code == 303
    keys = client.get("/lti/jwks").get_json()["keys"]
    assert len(keys) == 2 and keys[1]["kid"] == first[0]["kid"]  # the new one first; the old one still there
    old_key = jwt.PyJWK(keys[1])
    assert jwt.decode(signed, old_key.key, algorithms=["RS256"]) == {"iss": "civiclearn"}


def test_config_json_is_canvas_s_format(app, client):
    config = client.get("/lti/config.json").get_json()
    base = app.config["PUBLIC_URL"]
    assert config["oidc_initiation_url"] == base + "/lti/login"
    assert config["target_link_uri"] == base + "/lti/launch"
    assert config["public_jwk_url"] == base + "/lti/jwks"
    placements = config["extensions"][0]["settings"]["placements"]
    assert {item["message_type"] for item in placements} == {"LtiDeepLinkingRequest"}
