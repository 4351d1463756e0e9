"""The certificate's PDF carries its credential: one file holds both. Extracted with pypdf, the embedded files are
the downloads themselves, and the document lists them as associated files ("Alternative", as PDF/A-3 does)."""

import io

from pypdf import PdfReader

from civiclearn.badges import services
from civiclearn.certificates import services as certificates
from civiclearn.certificates.batches import fields, rendered
from civiclearn.certificates.document import attachments_of
from civiclearn.extensions import db


def test_the_pdf_embeds_the_credential_the_holder_downloads(app, client, certified, sign_in):
    sign_in(certified.learner)
    with client.get(f"/certificates/{certified.code}.pdf") as response:
        pdf = PdfReader(io.BytesIO(response.get_data()))
    with client.get(f"/credentials/{certified.code}.jwt") as response:
        jwt = response.get_data()
    with client.get(f"/credentials/{certified.code}") as response:
        readable = response.get_data()
    assert pdf.attachments == {"credential.jwt": [jwt], "credential.json": [readable]}
    associated = pdf.trailer["/Root"]["/AF"]
    assert sorted(str(spec.get_object()["/F"]) for spec in associated) == ["credential.json", "credential.jwt"]
    assert {str(spec.get_object()["/AFRelationship"]) for spec in associated} == {"/Alternative"}


def test_a_revoked_certificate_printed_for_the_staff_carries_no_credential(app, certified):
    with app.test_request_context():
        certificates.revoke(None, certificates.find(certified.code), "ผิดคน")
        db.session.commit()
        assert attachments_of(certificates.find(certified.code)) == []


def test_each_pdf_of_a_batch_carries_its_own_credential(app, certified):
    with app.test_request_context():
        found = certificates.find(certified.code)
        row = fields(found)
        db.session.commit()
        jwt = services.credential_of(found).jwt
        pdf = PdfReader(io.BytesIO(rendered([row])[0]))
    assert pdf.attachments["credential.jwt"] == [jwt.encode()]  # the ZIP and merged PDF hold these same PDFs
