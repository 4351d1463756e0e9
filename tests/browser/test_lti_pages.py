"""The LMS plugin's own pages in a real browser on a phone, Thai and English: the admin's registrations (with one
waiting), a registration, the refused-launch page and the course page's cartridge panel each pass an axe scan."""

from civiclearn.extensions import db
from civiclearn.lti.models import LtiDeployment, LtiPlatform
from tests.browser.conftest import REFUSED_LAUNCH
from tests.browser.test_report_pages import sign_in


def test_lms_pages_are_accessible_in_both_languages(app, page, make_staff, assert_accessible):
    with app.app_context():
        lms = "https://moodle.example.ac.th"
        platform = LtiPlatform(name="Moodle ของโรงเรียนบ้านริมใต้", issuer=lms, client_id="civiclearn",
                               auth_login_url=f"{lms}/mod/lti/auth.php", auth_token_url=f"{lms}/mod/lti/token.php",
                               key_set_url=f"{lms}/mod/lti/certs.php", registered_by="dynamic")
        db.session.add(platform)
        db.session.flush()
        db.session.add(LtiDeployment(platform_id=platform.id, deployment_id="1"))
        db.session.commit()
        platform_id = platform.id
    sign_in(page, make_staff("admin"))
    for language in ("th", "en"):
        if language == "en":
            page.get_by_role("button", name="English").click()
        for address in ("/admin/lti", f"/admin/lti/{platform_id}", REFUSED_LAUNCH, "/courses/getting-started"):
            page.goto(address)
            assert page.locator("h1").count() == 1, address
            assert_accessible(page)
