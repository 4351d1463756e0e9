"""A certificate that is no longer valid is not handed out as if it were: its holder gets a page that says it was
revoked (when, why) or replaced (with a link to the new one) instead of the PDF; the staff who manage it still
get the PDF, with "ถูกเพิกถอน / Revoked" or "ถูกแทนที่แล้ว / Replaced" and the date across it."""

import io

import pytest
from babel.dates import format_date
from pypdf import PdfReader
from sqlalchemy import select

from civiclearn import codes
from civiclearn.accounts.models import User
from civiclearn.audit.models import AuditEvent
from civiclearn.centres.models import Centre
from civiclearn.certificates import services
from civiclearn.certificates.document import long_date, wording
from civiclearn.certificates.models import Certificate
from civiclearn.extensions import db
from tests.helpers import csrf_token, visible_text

REASON = "Issued to the wrong person"


def in_english(client) -> None:
    client.post("/language", data={"lang": "en", "csrf_token": csrf_token(client.get("/").get_data(as_text=True))})


@pytest.fixture
def issued(app, client, learner, sample, make_centre, make_cohort, enrol) -> str:
    """The signed-in learner's certificate of the sample course, from their centre; its code."""
    centre = make_centre()
    enrol(learner.id, make_cohort(centre))
    with app.app_context():
        certificate = services.issue(db.session.get(User, learner.id), services.course_award(sample),
                                     issuer=db.session.get(Centre, centre))
        db.session.commit()
        code = certificate.code
    in_english(client)
    return code


@pytest.fixture
def trainer(app, issued, make_staff, staff_sign_in):
    """A browser signed in as a trainer of the centre that issued the certificate (they manage it)."""
    browser = app.test_client()
    with app.app_context():
        centre_id = services.find(issued).centre_id
    staff_sign_in(make_staff("trainer", centre_id=centre_id), on=browser)
    in_english(browser)
    return browser


def change(app, code: str, how) -> Certificate:
    """Revoke or reissue the certificate as its centre's staff would; returns the certificate now current."""
    with app.test_request_context():
        certificate = services.find(code)
        result = how(certificate) or certificate
        db.session.commit()
        return services.find(result.code)


def pdf_text(response) -> str:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.data)).pages)


def downloads(app) -> list[AuditEvent]:
    with app.app_context():
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action == "certificate.download")
                                  .order_by(AuditEvent.id)).all()


def test_a_valid_certificate_is_downloaded_unmarked_and_recorded(app, client, learner, issued):
    text = pdf_text(client.get(f"/certificates/{issued}.pdf"))
    assert codes.display(issued) in text and "REVOKED" not in text and "REPLACED" not in text
    [event] = downloads(app)
    assert (event.actor_id, event.subject_type, event.subject_id) == (learner.id, "person", learner.id)
    assert event.detail == {"file": f"certificate-{codes.display(issued)}.pdf", "certificate": issued,
                            "state": "valid"}


def test_the_holder_of_a_revoked_certificate_is_told_why_instead_of_getting_it(app, client, issued):
    revoked = change(app, issued, lambda certificate: services.revoke(None, certificate, REASON))
    response = client.get(f"/certificates/{issued}.pdf")
    assert response.status_code == 410 and response.mimetype == "text/html"
    text = visible_text(response.get_data(as_text=True))
    with app.app_context():
        when = format_date(services.local_date(revoked.revoked_at), "long", locale="en")  # as pages write dates
    assert "This certificate was revoked" in text and f"Revoked on {when}. Reason: {REASON}" in text
    assert "It is no longer valid, so it cannot be opened or printed any more." in text
    assert f'href="/v/{issued}"' in response.get_data(as_text=True)  # its check page says so too
    mine = client.get("/me/certificates").get_data(as_text=True)
    assert f"/certificates/{issued}.pdf" not in mine and "It is no longer valid" in visible_text(mine)
    assert downloads(app) == []


def test_staff_get_a_revoked_certificate_marked_revoked_with_the_date(app, trainer, issued):
    revoked = change(app, issued, lambda certificate: services.revoke(None, certificate, REASON))
    text = pdf_text(trainer.get(f"/certificates/{issued}.pdf"))
    with app.app_context():
        day = services.local_date(revoked.revoked_at)
    assert "REVOKED" in text and f"Revoked on {long_date(day, 'en')}. Reason: {REASON}" in text
    with app.test_request_context():  # Thai text extracted from a PDF can lose its marks: check the words printed
        thai = wording(services.find(issued), "th", "x")
    assert thai["void"] == "ถูกเพิกถอน" and thai["void_why"].startswith(f"ถูกเพิกถอนเมื่อวันที่ {long_date(day, 'th')}")
    assert downloads(app)[-1].detail["state"] == "revoked"


def test_a_replaced_certificate_points_its_holder_to_the_new_one(app, client, trainer, issued):
    new = change(app, issued, lambda certificate: services.reissue(None, certificate))
    response = client.get(f"/certificates/{issued}.pdf")
    assert response.status_code == 410
    assert "This certificate was replaced" in visible_text(response.get_data(as_text=True))
    assert f'href="/certificates/{new.code}.pdf"' in response.get_data(as_text=True)
    assert "REPLACED" not in pdf_text(client.get(f"/certificates/{new.code}.pdf"))  # the new one is valid
    text = pdf_text(trainer.get(f"/certificates/{issued}.pdf"))  # staff: the old one, marked
    with app.app_context():
        day = long_date(services.local_date(services.find(issued).replaced_at), "en")
    assert "REPLACED" in text and f"Replaced on {day} by the certificate {codes.display(new.code)}." in text
