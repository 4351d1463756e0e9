"""Course certificates: issued once on completion, the document, checking a code, revoking and reissuing,
and who may see what."""

import io
import random
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from civiclearn import codes
from civiclearn.accounts.models import User
from civiclearn.audit.models import AuditEvent
from civiclearn.certificates import services
from civiclearn.certificates.document import certificate_pdf, long_date
from civiclearn.certificates.models import Certificate
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.pdf import render_here
from tests.helpers import (
    answer_quiz,
    confirm_step,
    csrf_token,
    decoded_qr_codes,
    embedded_fonts,
    finish_lesson,
    finish_module,
    race,
    record_finished,
    say_yes,
    submit,
    visible_text,
)
from tests.learning.test_flow import answers

COURSE = "/courses/getting-started"


def certificates(app) -> list[Certificate]:
    with app.app_context():
        return db.session.scalars(select(Certificate).order_by(Certificate.id)).all()


def finish_course(client, sample) -> None:
    for module in sample.modules:
        finish_module(client, module)


def in_english(client) -> None:
    client.post("/language", data={"lang": "en", "csrf_token": csrf_token(client.get("/").get_data(as_text=True))})


@pytest.fixture
def signatory_centre(app, make_centre, make_cohort, enrol):
    """A centre with a signatory, and a function that enrols a learner in its cohort."""
    centre = make_centre(signatory_name="นายประเสริฐ รักษ์ถิ่น", signatory_title_th="นายกเทศมนตรีตำบลริมใต้",
                         signatory_title_en="Mayor of Rim Tai")
    cohort = make_cohort(centre)
    return centre, lambda learner: enrol(learner.id, cohort)


# Codes

def test_a_certificate_code_tells_a_typing_mistake_from_a_wrong_code():
    generator = random.Random(7)
    for _ in range(200):
        data = "".join(generator.choice(codes.ALPHABET) for _ in range(codes.CERTIFICATE_CODE_LENGTH - 1))
        code = data + codes.check_character(data)
        assert codes.certificate_code_problem(code) is None
        for position in range(len(code)):  # every single wrong character
            for char in codes.ALPHABET.replace(code[position], ""):
                assert codes.certificate_code_problem(code[:position] + char + code[position + 1:]) == "mistyped"
        for position in range(len(code) - 1):  # every swap of two neighbours
            if code[position] != code[position + 1]:
                swapped = code[:position] + code[position + 1] + code[position] + code[position + 2:]
                assert codes.certificate_code_problem(swapped) == "mistyped"
    assert codes.certificate_code_problem("ACE479") == "malformed"  # a learner code, not a certificate's
    assert codes.certificate_code_problem("ACE479KM0") == "malformed"  # 0 is never in a code
    assert set(codes.new_certificate_code()) <= set(codes.ALPHABET)


def test_long_dates_in_both_languages():
    assert long_date(date(2026, 11, 25), "th") == "25 พฤศจิกายน 2569"
    assert long_date(date(2026, 11, 25), "en") == "25 November 2026"
    assert long_date(date(2028, 2, 29), "th") == "29 กุมภาพันธ์ 2571"


# Issuing

def test_finishing_every_module_issues_the_certificate_once(app, client, learner, sample, signatory_centre):
    centre, enrol_here = signatory_centre
    enrol_here(learner)
    finish_module(client, sample.modules[0])
    assert certificates(app) == []  # one module of two: nothing yet
    attempt = finish_module(client, sample.modules[1])
    issued = certificates(app)
    assert len(issued) == 1
    certificate = issued[0]
    assert (certificate.person_id, certificate.award, certificate.holder_name) == (
        learner.id, "course:getting-started", learner.name)
    assert (certificate.title_th, certificate.title_en) == (sample.title.th, sample.title.en)
    assert (certificate.centre_id, certificate.signatory_name) == (centre, "นายประเสริฐ รักษ์ถิ่น")
    assert codes.certificate_code_problem(certificate.code) is None

    # Passing a quiz again, or finishing a lesson again, issues nothing more
    client.get(attempt)
    finish_module(client, sample.modules[1])
    assert len(certificates(app)) == 1
    done = visible_text(client.get(f"{COURSE}/{sample.modules[1].key}/done").get_data(as_text=True))
    assert "เปิดเกียรติบัตรของคุณ" in done
    mine = visible_text(client.get("/me/certificates").get_data(as_text=True))
    assert sample.title.th in mine and "ศูนย์ดิจิทัลชุมชนบ้านทดสอบ" in mine
    with app.app_context():
        assert db.session.scalars(select(AuditEvent.action).where(AuditEvent.action == "certificate.issue")).all() == [
            "certificate.issue"]


def test_done_on_the_last_lesson_left_issues_the_certificate(app, client, learner, sample):
    """The course's last step may be a lesson (its quiz passed before it): its Done issues the certificate, and
    no Done before it does."""
    first, last = sample.modules
    record_finished(app, learner.id, [first])
    answer_quiz(client, f"{COURSE}/{last.key}/quiz", answers(last.quiz, right=True))
    for lesson in last.lessons[:-1]:
        finish_lesson(client, lesson)
    assert certificates(app) == []
    finish_lesson(client, last.lessons[-1])
    [certificate] = certificates(app)
    assert (certificate.person_id, certificate.award) == (learner.id, "course:getting-started")


def test_a_learner_at_no_centre_gets_the_programme_as_issuer(app, client, learner, sample):
    finish_course(client, sample)
    [certificate] = certificates(app)
    assert (certificate.centre_id, certificate.school_id, certificate.issuer_en) == (
        None, None, services.PROGRAMME_EN)


def test_completions_at_the_same_moment_issue_one_certificate(app, make_learner, sample):
    """Six requests finishing the course at once (two tabs, a double click): one certificate."""
    learner_id = make_learner().id
    with app.test_request_context():
        person = db.session.get(User, learner_id)
        for module in sample.modules:
            for lesson in module.lessons:
                from civiclearn.learning.services import complete_lesson
                complete_lesson(person, lesson)
            from civiclearn.learning.services import submit_quiz
            submit_quiz(person, module.quiz, f"token-{module.key}",
                        {question.key: question.correct_keys for question in module.quiz.questions})
        db.session.commit()

    def complete_at_once():
        with app.test_request_context():
            from civiclearn.courses.store import catalogue
            return services.issue_if_course_complete(db.session.get(User, learner_id),
                                                     catalogue().course("getting-started")).code

    issued_codes = race(app, complete_at_once)
    assert len(set(issued_codes)) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1


def test_the_database_refuses_a_second_current_certificate(app, make_learner, sample):
    """Exactly once is the unique index's doing, not only the code's."""
    learner_id = make_learner().id
    with app.app_context():
        fields = {"person_id": learner_id, "award": "course:getting-started", "holder_name": "x", "title_th": "t",
                  "title_en": "t", "issuer_th": "i", "issuer_en": "i"}
        db.session.add(Certificate(code=codes.new_certificate_code(), **fields))
        db.session.commit()
        db.session.add(Certificate(code=codes.new_certificate_code(), **fields))
        with pytest.raises(Exception, match="(?i)unique"):
            db.session.commit()
        db.session.rollback()


# The document

@pytest.fixture
def issued(app, client, learner, sample, signatory_centre) -> Certificate:
    """The learner's certificate of the sample course, issued through the pages."""
    signatory_centre[1](learner)
    finish_course(client, sample)
    return certificates(app)[0]


def test_the_pdf_has_both_languages_the_fonts_and_a_qr_code_of_its_check_page(app, client, issued, tmp_path):
    response = client.get(f"/certificates/{issued.code}.pdf")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"  # a name: not kept by the browser
    assert len(response.data) < 60 * 1024
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1
    width, height = (float(value) for value in reader.pages[0].mediabox.upper_right)
    assert round(width) == 842 and round(height) == 595  # A4 landscape
    fonts = embedded_fonts(reader)
    assert fonts and all(fonts.values()) and all("Sarabun" in name for name in fonts)
    text = " ".join(reader.pages[0].extract_text().split())
    with app.app_context():
        today = services.local_date(issued.issued_at)
    for english in ("This certifies that", "has completed the course", "Getting started with CivicLearn",
                    f"Issued on {long_date(today, 'en')}", "Mayor of Rim Tai", codes.display(issued.code)):
        assert english in text, english
    # Thai text extracted from a PDF can lose its marks (WeasyPrint #2841): check the page that was rendered
    with app.test_request_context():
        from flask import render_template

        from civiclearn.certificates.document import wording
        page = render_template("pdf/certificate.html", certificate=db.session.get(Certificate, issued.id), qr="",
                               code="", th=wording(issued, "th", "x"), en=wording(issued, "en", "x"))
    assert f"ออกให้เมื่อวันที่ {long_date(today, 'th')}" in page and "นายประเสริฐ รักษ์ถิ่น" in page
    assert decoded_qr_codes(response.data, tmp_path) == [f"http://127.0.0.1:5000/v/{issued.code}"]


# Checking a code

def check(client, code: str):
    response = client.get(f"/v/{code}")
    return response.status_code, visible_text(response.get_data(as_text=True))


def test_fonts_and_stylesheet_are_fetched_once_per_process_not_per_certificate(app, issued):
    with app.app_context():
        render_here()  # as a batch's process does (a web process's helper holds its renderer the same way)
    with app.test_request_context():
        certificate = services.find(issued.code)
        certificate_pdf(certificate)  # the first PDF of the process sets the renderer up
        renderer = app.extensions["civiclearn.pdf"]
        fetched, fetch = [], renderer.fetcher.fetch
        renderer.fetcher.fetch = lambda url, headers=None: fetched.append(url) or fetch(url, headers)
        again = certificate_pdf(certificate)
        assert app.extensions["civiclearn.pdf"] is renderer and fetched == []  # nothing read from disk again
        assert embedded_fonts(PdfReader(io.BytesIO(again)))  # and the fonts are still in the PDF


def test_the_check_page_says_valid_and_shows_only_name_award_date_and_issuer(client, issued, learner):
    in_english(client)
    status, text = check(client, codes.display(issued.code).lower())  # as typed from the paper
    assert status == 200 and "This certificate is valid" in text
    assert issued.holder_name in text and "Getting started with CivicLearn" in text
    assert "Test Village Digital Centre" in text
    assert learner.code not in text and codes.display(learner.code) not in text


def test_a_typing_mistake_and_an_unknown_code_are_told_apart(client, issued):
    in_english(client)
    wrong_character = issued.code[:-1] + next(char for char in codes.ALPHABET if char != issued.code[-1])
    status, text = check(client, wrong_character)
    assert status == 404 and "one of its characters is wrong" in text
    data = next(candidate for candidate in ("ACEFHJKM", "ACEFHJKN") if candidate != issued.code[:-1])
    status, text = check(client, data + codes.check_character(data))
    assert status == 404 and "No certificate has this code" in text
    status, text = check(client, "ABC")
    assert status == 404 and "9 letters and numbers" in text
    response = client.get("/v", query_string={"code": f" {codes.display(issued.code)} "})
    assert response.status_code == 303 and response.headers["Location"] == f"/v/{issued.code}"
    assert "one of its characters is wrong" in visible_text(
        client.get("/v", query_string={"code": wrong_character}).get_data(as_text=True))


def test_an_expired_certificate_says_so(app, client, issued):
    with app.app_context():
        db.session.get(Certificate, issued.id).expires_on = date.today() - timedelta(days=2)
        db.session.commit()
    in_english(client)
    status, text = check(client, issued.code)
    assert status == 200 and "This certificate has expired" in text and "It was valid until" in text


def test_revoking_and_reissuing_through_the_staff_page(app, issued, make_staff, staff_sign_in, learner):
    client = app.test_client()  # anyone checking a code
    trainer = app.test_client()
    staff_sign_in(make_staff("trainer", centre_id=issued.centre_id), on=trainer)
    in_english(trainer)
    page = trainer.get(f"/certificates/{issued.code}")
    assert page.status_code == 200
    refused = submit(trainer, f"/certificates/{issued.code}", {"reason": "  "},
                     action=f"/certificates/{issued.code}/revoke")
    assert refused.status_code == 400
    assert "Write why the certificate is revoked." in visible_text(refused.get_data(as_text=True))
    asked = submit(trainer, f"/certificates/{issued.code}", {"reason": "Issued to the wrong person"},
                   action=f"/certificates/{issued.code}/revoke")
    question = f"Revoke certificate {codes.display(issued.code)} of {issued.holder_name}?"
    revoked = say_yes(trainer, asked, question, "Yes, revoke it", f"/certificates/{issued.code}")
    assert revoked.status_code == 303
    in_english(client)
    status, text = check(client, issued.code)
    assert status == 200 and "This certificate was revoked" in text and "Issued to the wrong person" in text

    # A correction of the name, then a reissue: the old code says only "replaced"
    with app.app_context():
        db.session.get(User, learner.id).display_name = "สมใจ ทดสอบดี"
        db.session.commit()
    reissued = submit(trainer, f"/certificates/{issued.code}", {}, action=f"/certificates/{issued.code}/reissue")
    assert reissued.status_code == 303
    old, new = certificates(app)
    assert (old.replaced_by_id, new.holder_name, new.revoked_at) == (new.id, "สมใจ ทดสอบดี", None)
    status, text = check(client, old.code)
    assert status == 200 and "This certificate was replaced" in text and "สมใจ" not in text
    status, text = check(client, new.code)
    assert "This certificate is valid" in text and "สมใจ ทดสอบดี" in text
    assert [certificate.code for certificate in services_certificates_of(app, learner.id)] == [new.code]
    assert trainer.post(f"/certificates/{old.code}/reissue", data={
        "csrf_token": csrf_token(trainer.get(f"/certificates/{new.code}").get_data(as_text=True))}).status_code == 303
    assert len(certificates(app)) == 2  # the replaced one cannot be reissued again
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("certificate.%"))
                                     .order_by(AuditEvent.id)).all()
    assert actions == ["certificate.issue", "certificate.revoke", "certificate.issue", "certificate.reissue"]


def test_revoking_asks_first_with_the_reason_and_only_yes_revokes(app, issued, make_staff, staff_sign_in):
    trainer = app.test_client()
    staff_sign_in(make_staff("trainer", centre_id=issued.centre_id), on=trainer)
    page, reason = f"/certificates/{issued.code}", "ออกให้ผิดคน"
    asked = submit(trainer, page, {"reason": reason}, action=f"{page}/revoke")
    question = f"เพิกถอนเกียรติบัตร {codes.display(issued.code)} ของ {issued.holder_name} ใช่ไหม"
    form = confirm_step(asked, question, "ใช่ เพิกถอน", page)
    assert dict(form["fields"])["reason"] == reason  # the reason goes with "Yes"
    assert f"พร้อมเหตุผลของคุณ: “{reason}”" in visible_text(asked.get_data(as_text=True))
    assert certificates(app)[0].revoked_at is None
    done = say_yes(trainer, asked, question, "ใช่ เพิกถอน", page)
    assert done.status_code == 303 and done.headers["Location"] == page
    assert (certificates(app)[0].revoked_reason, certificates(app)[0].revoked_at is not None) == (reason, True)


def services_certificates_of(app, person_id: int) -> list[Certificate]:
    with app.app_context():
        return services.certificates_of(db.session.get(User, person_id))


def test_the_check_page_is_rate_limited(make_app, sample):
    app = make_app(VERIFY_LIMIT="3 per minute")
    client = app.test_client()
    statuses = [client.get("/v/ACEFHJKMN").status_code for _ in range(4)]
    assert statuses[-1] == 429


# Who may see what

def test_only_the_holder_and_the_issuing_centres_staff_open_a_certificate(app, issued, make_learner, sign_in,
                                                                          make_staff, staff_sign_in, make_centre):
    pdf, page = f"/certificates/{issued.code}.pdf", f"/certificates/{issued.code}"
    other_learner = app.test_client()
    sign_in(make_learner("คนอื่น"), on=other_learner)
    other_trainer = app.test_client()
    staff_sign_in(make_staff("trainer", centre_id=make_centre("ศูนย์อื่น")), on=other_trainer)
    trainer = app.test_client()
    staff_sign_in(make_staff("trainer", centre_id=issued.centre_id), on=trainer)
    assert (other_learner.get(pdf).status_code, other_learner.get(page).status_code) == (404, 404)
    assert (other_trainer.get(pdf).status_code, other_trainer.get(page).status_code) == (404, 404)
    assert (trainer.get(pdf).status_code, trainer.get(page).status_code) == (200, 200)
    token = csrf_token(other_trainer.get("/").get_data(as_text=True))
    assert other_trainer.post(f"{page}/revoke", data={"csrf_token": token, "reason": "x"}).status_code == 404
    assert app.test_client().get(pdf).status_code == 302  # anonymous: sign in first
    with app.app_context():
        assert db.session.get(Certificate, issued.id).revoked_at is None


def test_deleting_the_person_keeps_the_certificate_checkable(app, client, issued):
    assert submit(client, "/me/delete", {}).status_code == 303  # its form is the "Yes" of the confirm page
    in_english(client)  # (signing out cleared the choice of language too)
    status, text = check(client, issued.code)
    assert status == 200 and "This certificate is valid" in text and issued.holder_name in text
    with app.app_context():
        assert db.session.get(User, issued.person_id).anonymised_at is not None
        assert utcnow() - db.session.get(Certificate, issued.id).issued_at < timedelta(hours=1)


def test_the_holders_data_download_lists_their_certificates(client, issued):
    data = client.get("/me/data.json").get_json()
    assert [(item["code"], item["title_en"], item["name_on_it"]) for item in data["certificates"]] == [
        (issued.code, "Getting started with CivicLearn", issued.holder_name)]
    assert codes.display(issued.code) in visible_text(client.get("/me/data").get_data(as_text=True))
