"""Learner cards: one card per learner, ten to an A4 page, Sarabun embedded, codes readable as text,
and every QR code decoded by a real decoder (poppler renders the page, zbar reads it) to its learner's code."""

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from civiclearn import codes
from civiclearn.accounts.models import User
from civiclearn.audit.models import AuditEvent
from civiclearn.centres.models import Enrolment
from civiclearn.extensions import db
from tests.helpers import csrf_token, decoded_qr_codes, embedded_fonts, visible_text


@pytest.fixture
def centre(make_centre) -> int:
    return make_centre(name_en="Rim Tai Digital Centre")


@pytest.fixture
def add_learners(app):
    """Put `count` new learners (Thai and Latin names) in a cohort; returns their learner codes."""
    def add(cohort_id: int, count: int) -> list[str]:
        with app.app_context():
            learners = [User(display_name=("สมศรี ใจดี" if number % 2 else "Anan Rakdee") + f" {number}",
                             learner_code=codes.new_code()) for number in range(count)]
            db.session.add_all(learners)
            db.session.flush()
            db.session.add_all(Enrolment(person_id=learner.id, cohort_id=cohort_id) for learner in learners)
            db.session.commit()
            return [learner.learner_code for learner in learners]
    return add


@pytest.fixture
def trainer(client, make_staff, staff_sign_in, centre):
    staff = make_staff("trainer", centre_id=centre)
    staff_sign_in(staff)
    return staff


def english(client) -> None:
    client.post("/language", data={"lang": "en", "csrf_token": csrf_token(client.get("/").get_data(as_text=True))})


@pytest.mark.parametrize(("count", "pages"), [(1, 1), (10, 1), (11, 2), (21, 3)])
def test_a_cohort_prints_one_card_per_learner_ten_to_a_page(client, trainer, centre, make_cohort, add_learners,
                                                            count, pages):
    cohort = make_cohort(centre)
    add_learners(cohort, count)
    add_learners(make_cohort(centre, "รุ่นที่ 2"), 3)  # another cohort's learners are not printed
    response = client.get(f"/centres/{centre}/cards.pdf?cohort={cohort}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert len(PdfReader(io.BytesIO(response.data)).pages) == pages


def test_each_card_has_its_code_as_text_and_as_a_qr_code_that_decodes_to_it(
        app, client, trainer, centre, make_cohort, add_learners, tmp_path):
    english(client)
    cohort = make_cohort(centre)
    learner_codes = add_learners(cohort, 12)
    response = client.get(f"/centres/{centre}/cards.pdf?cohort={cohort}")
    reader = PdfReader(io.BytesIO(response.data))
    fonts = embedded_fonts(reader)
    assert fonts and all("Sarabun" in name for name in fonts) and all(fonts.values())
    # Latin text only: WeasyPrint's Thai text does not extract reliably (WeasyPrint #2841).
    text = " ".join(page.extract_text() for page in reader.pages)
    assert all(codes.display(code) in text for code in learner_codes)
    assert "Rim Tai Digital Centre" in text and "Anan Rakdee 0" in text and "Learner code" in text
    assert sorted(decoded_qr_codes(response.data, tmp_path)) == sorted(learner_codes)
    with app.app_context():
        [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "cards.print")).all()
        assert event.detail == {"cohort": cohort, "learners": 12, "file": f"learner-cards-{centre}-{cohort}.pdf"}
        assert event.actor_id == trainer.id


def test_without_a_cohort_every_learner_of_the_centre_gets_one_card(client, trainer, centre, make_cohort, add_learners,
                                                                   enrol, tmp_path):
    first, second = make_cohort(centre), make_cohort(centre, "รุ่นที่ 2")
    learner_codes = add_learners(first, 4) + add_learners(second, 3)
    with client.application.app_context():
        in_both = db.session.scalar(select(User.id).where(User.learner_code == learner_codes[0]))
    enrol(in_both, second)
    response = client.get(f"/centres/{centre}/cards.pdf")
    assert sorted(decoded_qr_codes(response.data, tmp_path)) == sorted(learner_codes)


def test_a_cohort_without_learners_says_so_instead_of_printing_nothing(client, trainer, centre, make_cohort):
    english(client)
    cohort = make_cohort(centre)
    response = client.get(f"/centres/{centre}/cards.pdf?cohort={cohort}")
    assert response.status_code == 303
    assert "no learners to print cards for" in visible_text(client.get(response.headers["Location"]).get_data(as_text=True))


def test_cards_are_only_for_the_centres_own_staff(app, client, make_centre, make_cohort, make_staff, staff_sign_in,
                                                  make_learner, sign_in, centre, add_learners):
    cohort = make_cohort(centre)
    add_learners(cohort, 2)
    url = f"/centres/{centre}/cards.pdf?cohort={cohort}"
    response = client.get(url)
    assert response.status_code == 302 and response.headers["Location"].startswith("/staff/sign-in?next=")  # anonymous

    learner = app.test_client()
    sign_in(make_learner(), on=learner)
    assert learner.get(url).status_code == 404

    other_centre = make_centre("ศูนย์อื่น")
    other_cohort = make_cohort(other_centre)
    other_trainer = app.test_client()
    staff_sign_in(make_staff("trainer", centre_id=other_centre), on=other_trainer)
    assert other_trainer.get(url).status_code == 404
    assert other_trainer.get(f"/centres/{centre}/cards.pdf").status_code == 404
    # Their own centre, with a cohort of another centre, or a cohort that does not exist.
    assert other_trainer.get(f"/centres/{other_centre}/cards.pdf?cohort={cohort}").status_code == 404
    assert other_trainer.get(f"/centres/{other_centre}/cards.pdf?cohort=nonsense").status_code == 404
    assert other_trainer.get(f"/centres/{other_centre}/cards.pdf?cohort={other_cohort}").status_code == 303  # none yet
