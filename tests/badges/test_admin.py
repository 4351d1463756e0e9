"""The Open Badges admin page: the programme's profile that new credentials name, and a new signing key that leaves
every credential already issued checking; its logo."""

import io

from PIL import Image

from civiclearn.badges import services
from civiclearn.certificates import services as certificates
from civiclearn.extensions import db
from tests.helpers import csrf_token, visible_text


def post(client, path: str, **data):
    token = csrf_token(client.get("/admin/badges").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def test_an_admin_names_the_programme_for_new_credentials_only(app, client, certified, sign_in_admin):
    with app.test_request_context():
        before = services.credential_of(certificates.find(certified.code)).jwt
        db.session.commit()
    sign_in_admin()
    page = visible_text(client.get("/admin/badges").get_data(as_text=True))
    assert "Digital credentials" in page and "/issuer/jwks.json" in page
    saved = post(client, "/admin/badges", name_th="โครงการพลเมืองดิจิทัล เชียงใหม่",
                 name_en="Digital Citizens Chiang Mai", url="https://civic.example.org", email="hello@example.org")
    assert saved.status_code == 303
    issuer = client.get("/issuer").get_json(force=True)
    assert issuer["name"] == "โครงการพลเมืองดิจิทัล เชียงใหม่ / Digital Citizens Chiang Mai"
    assert issuer["url"] == "https://civic.example.org"
    with app.test_request_context():
        assert services.payload(before)["issuer"]["name"] != issuer["name"]  # issued before: as signed
        assert services.check(before).valid


def test_a_bad_profile_is_refused_with_reasons(client, sign_in_admin, english):
    sign_in_admin()
    refused = post(client, "/admin/badges", name_th="", name_en="x", url="not an address", email="nobody")
    text = visible_text(refused.get_data(as_text=True))
    assert refused.status_code == 400
    assert "Type the programme's name in Thai." in text and "starting with https://" in text
    assert "Check the email address." in text


def test_a_new_key_signs_and_the_old_credentials_still_check(app, client, certified, sign_in_admin):
    with app.test_request_context():
        old = services.credential_of(certificates.find(certified.code)).jwt
        db.session.commit()
    sign_in_admin()
    assert post(client, "/admin/badges/key").status_code == 303
    assert len(client.get("/issuer/jwks.json").get_json(force=True)["keys"]) == 2
    with app.test_request_context():
        assert services.check(old).valid


def test_the_command_line_makes_a_new_key(app):
    result = app.test_cli_runner().invoke(args=["badges", "rotate-key"])
    assert result.exit_code == 0 and "New signing key" in result.output
    again = app.test_cli_runner().invoke(args=["badges", "rotate-key"])
    assert "2 keys published" in again.output


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (11, 80, 150)).save(buffer, "PNG")
    return buffer.getvalue()


def upload(client, data: bytes, name: str = "logo.png"):
    token = csrf_token(client.get("/admin/badges").get_data(as_text=True))
    return client.post("/admin/badges/logo", data={"csrf_token": token, "logo": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_an_admin_gives_the_programme_a_logo_that_credentials_show(app, client, sign_in_admin, english):
    sign_in_admin()
    assert client.get("/issuer/logo.png").status_code == 404
    logo = png(256, 256)
    assert upload(client, logo).status_code == 303
    served = client.get("/issuer/logo.png")
    assert served.mimetype == "image/png" and served.get_data() == logo
    assert client.get("/issuer").get_json(force=True)["image"] == {"id": "http://127.0.0.1:5000/issuer/logo.png",
                                                                    "type": "Image"}
    token = csrf_token(client.get("/admin/badges").get_data(as_text=True))
    assert client.post("/admin/badges/logo/remove", data={"csrf_token": token}).status_code == 303
    assert client.get("/issuer/logo.png").status_code == 404 and "image" not in client.get("/issuer").get_json(
        force=True)


def test_a_file_that_is_no_sensible_png_is_refused(client, sign_in_admin, english):
    sign_in_admin()
    gif = io.BytesIO()
    Image.new("RGB", (100, 100)).save(gif, "GIF")
    for data, reason in ((b"<svg onload=alert(1)>", "not a PNG picture"), (gif.getvalue(), "not a PNG picture"),
                         (png(20, 20), "between 64 and 1,024 pixels"), (b"\x89PNG" + b"0" * 300_000, "too big")):
        refused = upload(client, data)
        assert refused.status_code == 400 and reason in visible_text(refused.get_data(as_text=True)), reason
    assert client.get("/issuer/logo.png").status_code == 404
