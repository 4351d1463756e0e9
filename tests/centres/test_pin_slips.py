"""Starting-PIN slips: printed from the page that shows the new learners' PINs, one slip per learner in the order of
their cards, each with the learner's name, code and PIN and no centre name; refused once the PINs are gone (the
few minutes are over, the learner chose their own PIN, the PIN was reset), and never written to a URL, a log or
the audit log."""

import base64
import io
import logging
import re
import time
from types import SimpleNamespace

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from civiclearn.accounts import services as accounts
from civiclearn.accounts.models import User
from civiclearn.audit.models import AuditEvent
from civiclearn.centres import slips
from civiclearn.extensions import db
from tests.helpers import csrf_token, find_form, visible_text

# pypdf may run a code into the next word on a card ("ACE-479To sign in"): no word boundary after it.
CODE_AND_PIN = re.compile(r"\b([A-Z0-9]{3}-[A-Z0-9]{3}).*?\b(\d{6})\b", re.DOTALL)
CODE = re.compile(r"\b[A-Z0-9]{3}-[A-Z0-9]{3}")
# Latin names (WeasyPrint's Thai text does not extract reliably, WeasyPrint #2841), not in alphabetical order, and
# a Thai one; two learners share a name.
NAMES = ["Somchai Kaewta", "Anan Rakdee", "Malee Meesuk", "Boonmee Jaidee", "Wichai Sukjai", "Anan Rakdee",
         "Kanya Thongdee", "Preecha Saengdao", "Duangjai Rungroj", "Orawan Chaiyo", "Nattapong Srisuk", "มาลี มีสุข"]


@pytest.fixture
def centre(make_centre) -> int:
    return make_centre(name_en="Rim Tai Digital Centre")


@pytest.fixture
def cohort(make_cohort, centre) -> int:
    return make_cohort(centre)


@pytest.fixture
def trainer(client, make_staff, staff_sign_in, centre, english):
    staff = make_staff("trainer", centre_id=centre)
    staff_sign_in(staff)
    return staff


def import_roster(client, centre: int, cohort: int, names: list[str]) -> tuple[str, int]:
    """Upload a roster of `names` (each born in a different year) and confirm it: the page with the PINs, and the
    roster's id."""
    rows = "".join(f"{name},{1950 + number}\r\n" for number, name in enumerate(names))
    token = csrf_token(client.get(f"/centres/{centre}/roster").get_data(as_text=True))
    boundary, body = encode_multipart(MultiDict({"csrf_token": token, "cohort": str(cohort), "file": FileStorage(
        io.BytesIO(f"name,birth year\r\n{rows}".encode("utf-8-sig")), "roster.csv")}))
    preview = client.post(f"/centres/{centre}/roster", data=body,
                          content_type=f"multipart/form-data; boundary={boundary}")
    assert preview.status_code == 303
    url = preview.headers["Location"]
    page = client.post(f"{url}/confirm", data={"csrf_token": token, "consent": "y"})
    assert page.status_code == 200
    return page.get_data(as_text=True), int(url.rsplit("/", 1)[1])


def shown_pins(page: str) -> dict[str, str]:
    """Each learner code on the page with the starting PIN beside it."""
    return dict(CODE_AND_PIN.findall(visible_text(page)))


def print_slips(client, page: str, centre: int):
    """Press "PIN slips" on the page that shows the PINs: its form posts the sealed PINs back."""
    form = find_form(page, action=f"/centres/{centre}/pin-slips.pdf")
    assert form["method"] == "post"
    return client.post(form["action"], data=MultiDict(form["fields"]))


def pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_roster_just_imported_prints_one_slip_per_learner_in_the_order_of_their_cards(
        app, client, trainer, centre, cohort, make_learner, enrol):
    enrol(make_learner("Aaron Already").id, cohort)  # in the cohort before: a card of the cohort, no slip
    page, roster = import_roster(client, centre, cohort, NAMES)
    pins = shown_pins(page)
    assert len(pins) == len(NAMES)

    response = print_slips(client, page, centre)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == f'inline; filename="pin-slips-{centre}.pdf"'
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 2  # ten to a sheet, as the cards
    text = pdf_text(response.data)
    printed = CODE_AND_PIN.findall(text)
    assert dict(printed) == pins  # every learner once, each PIN with its own code

    cards = client.get(f"/centres/{centre}/cards.pdf?roster={roster}")  # the new learners' cards, offered beside
    assert f"/centres/{centre}/cards.pdf?roster={roster}" in page
    assert [code for code, _pin in printed] == CODE.findall(pdf_text(cards.data))
    cohort_cards = CODE.findall(pdf_text(client.get(f"/centres/{centre}/cards.pdf?cohort={cohort}").data))
    assert [code for code, _pin in printed] == [code for code in cohort_cards if code in pins]
    with app.app_context():  # the cards' order: by name (then by who was added first)
        by_name = db.session.scalars(select(User.learner_code).where(User.must_change_pin)
                                     .order_by(User.display_name, User.id)).all()
    assert [code.replace("-", "") for code, _pin in printed] == by_name

    assert "Anan Rakdee" in text and "Nattapong Srisuk" in text and "choose your own PIN" in text
    assert "Rim Tai" not in text and "Rim Tai" not in str(reader.metadata)  # no centre name: a lost slip says less
    with app.app_context():
        [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "pin_slips.print")).all()
        assert (event.actor_id, event.subject_type, event.subject_id) == (trainer.id, "centre", centre)
        assert event.detail == {"learners": len(NAMES), "file": f"pin-slips-{centre}.pdf"}


def test_a_learner_added_alone_gets_a_slip_and_a_card(client, trainer, centre, cohort):
    token = csrf_token(client.get(f"/centres/{centre}/learners/new").get_data(as_text=True))
    page = client.post(f"/centres/{centre}/learners/new", data={
        "csrf_token": token, "display_name": "Anan Rakdee", "birth_year": "1985", "cohort": str(cohort),
        "consent": "y"}
    ).get_data(as_text=True)
    [(code, pin)] = shown_pins(page).items()
    text = pdf_text(print_slips(client, page, centre).data)
    assert CODE_AND_PIN.findall(text) == [(code, pin)] and "Anan Rakdee" in text
    card = re.search(r'href="([^"]*/cards\.pdf\?learner=\d+)"', page).group(1)
    assert CODE.findall(pdf_text(client.get(card).data)) == [code]


def refused(response) -> bool:
    """Sent back to the centre's page, which says why: no PDF."""
    return response.status_code == 303 and response.mimetype != "application/pdf"


def test_no_slips_once_the_few_minutes_are_over(client, trainer, centre, cohort, monkeypatch):
    page, _roster = import_roster(client, centre, cohort, NAMES[:2])
    later = time.time() + slips.SLIP_MINUTES * 60 + 1
    monkeypatch.setattr(slips, "time", SimpleNamespace(time=lambda: later))
    response = print_slips(client, page, centre)
    assert refused(response)
    assert "no longer" in visible_text(client.get(response.headers["Location"]).get_data(as_text=True))


def test_a_learner_who_chose_their_own_pin_or_got_a_new_one_gets_no_slip(app, client, trainer, centre, cohort):
    page, _roster = import_roster(client, centre, cohort, NAMES[:3])
    pins = shown_pins(page)
    chose, reset, waiting = (code.replace("-", "") for code in pins)
    with app.app_context():
        accounts.change_pin(db.session.scalar(select(User).where(User.learner_code == chose)), "3958")
        accounts.reset_pin(db.session.get(User, trainer.id),
                           db.session.scalar(select(User).where(User.learner_code == reset)))
        db.session.commit()
    printed = CODE_AND_PIN.findall(pdf_text(print_slips(client, page, centre).data))
    assert [code for code, _pin in printed] == [code for code in pins if code.replace("-", "") == waiting]
    with app.app_context():
        accounts.change_pin(db.session.scalar(select(User).where(User.learner_code == waiting)), "3958")
        db.session.commit()
    assert refused(print_slips(client, page, centre))  # nobody's starting PIN is left


def test_the_sealed_pins_work_only_for_the_trainer_and_centre_they_were_shown_to(
        app, client, trainer, centre, cohort, make_staff, staff_sign_in, make_centre):
    page, _roster = import_roster(client, centre, cohort, NAMES[:2])
    form = find_form(page, action=f"/centres/{centre}/pin-slips.pdf")
    sealed = dict(form["fields"])["slips"]

    colleague = app.test_client()  # another trainer of the same centre
    staff_sign_in(make_staff("trainer", centre_id=centre), on=colleague)
    token = csrf_token(colleague.get(f"/centres/{centre}").get_data(as_text=True))
    assert refused(colleague.post(f"/centres/{centre}/pin-slips.pdf", data={"csrf_token": token, "slips": sealed}))

    other_centre = make_centre("ศูนย์อื่น")
    with app.app_context():
        accounts.grant_role(None, db.session.get(User, trainer.id), "trainer", centre_id=other_centre)
        db.session.commit()
    token = csrf_token(client.get(f"/centres/{centre}").get_data(as_text=True))
    assert refused(client.post(f"/centres/{other_centre}/pin-slips.pdf", data={"csrf_token": token, "slips": sealed}))

    changed = sealed[:-8] + ("A" if sealed[-8] != "A" else "B") + sealed[-7:]
    url = f"/centres/{centre}/pin-slips.pdf"
    for slips_field in ("", "nonsense", "ก" * 40, changed):
        assert refused(client.post(url, data={"csrf_token": token, "slips": slips_field}))
    assert client.post(url, data={"csrf_token": token, "slips": sealed}).status_code == 200  # the trainer's own


def test_pins_reach_no_url_log_or_audit_row_and_the_page_holds_them_sealed(app, client, trainer, centre, cohort,
                                                                            caplog):
    caplog.set_level(logging.DEBUG)
    page, _roster = import_roster(client, centre, cohort, NAMES[:3])
    pins = list(shown_pins(page).values())
    sealed = dict(find_form(page, action=f"/centres/{centre}/pin-slips.pdf")["fields"])["slips"]
    opened = base64.urlsafe_b64decode(sealed + "=" * (-len(sealed) % 4))
    assert not any(pin.encode() in opened for pin in pins)  # encrypted, not merely signed
    links = re.findall(r'(?:href|action|src)="([^"]*)"', page)
    assert not any(pin in link for link in links for pin in pins)
    print_slips(client, page, centre)
    assert not any(pin in record.getMessage() for record in caplog.records for pin in pins)
    with app.app_context():
        detail = " ".join(str(event.detail) for event in db.session.scalars(select(AuditEvent)))
    assert not any(pin in detail for pin in pins)
