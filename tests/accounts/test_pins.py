"""PINs easy to guess are refused wherever a person chooses one (registering, after a trainer's starting PIN,
at /pin), with the reason in their language; starting PINs and learner codes never make one."""

import pytest
from sqlalchemy import select, update

from civiclearn import codes, pins
from civiclearn.accounts import services
from civiclearn.accounts.models import User
from civiclearn.extensions import db
from tests.accounts.test_accounts import field_error
from tests.helpers import csrf_token, submit

# The person the examples are judged for: born 1967 (2510 in the Buddhist Era), learner code CAT-347.
PERSON = {"birth_year": 1967, "learner_code": "CAT347"}

# (PIN, the rule whose reason the form gives: the first one it breaks)
REFUSED = [
    ("2510", "birth-year"), ("1967", "birth-year"), ("196758", "birth-year"), ("102510", "birth-year"),
    ("834701", "learner-code"), ("3479", "learner-code"),
    ("0000", "one-digit"), ("111111", "one-digit"), ("77777", "one-digit"),
    ("1234", "in-a-row"), ("9876", "in-a-row"), ("345678", "in-a-row"), ("654321", "in-a-row"), ("56789", "in-a-row"),
    ("7890", "in-a-row"), ("8901", "in-a-row"), ("210987", "in-a-row"),  # 0 comes after 9
    ("1212", "repeated"), ("12121", "repeated"), ("121212", "repeated"), ("123123", "repeated"),
    ("1122", "repeated"), ("112233", "repeated"), ("111222", "repeated"),
    ("2580", "keypad"), ("0852", "keypad"), ("7410", "keypad"), ("0147", "keypad"), ("8520", "keypad"),
    ("147258", "keypad"), ("147852", "keypad"), ("159753", "keypad"), ("789456", "keypad"), ("369741", "keypad"),
    ("1900", "year"), ("1984", "year"), ("2099", "year"), ("2400", "year"), ("2569", "year"), ("2599", "year"),
    ("1004", "common"), ("5683", "common"), ("1379", "common"), ("1590", "common"), ("1235", "common"),
    ("246810", "common"),
]
GOOD = [
    "4826", "583920", "480213", "58392", "8068",
    "1470",  # 0 is under 8 on a phone, under 1 and 2 on a number pad: not a line
    "1899", "2100", "2399", "2600",  # just outside the years refused
    "1408", "250812",  # dates are not refused: nobody's birthday is known here
    "3740", "610967",  # the code's digits or the birth year, but not in order
]

REASONS = {  # what the form says, in Thai (the default) and in English
    "birth-year": ("PIN ที่มีปีเกิดของคุณอยู่ด้วย คนอื่นเดาได้ง่าย",
                   "A PIN with your year of birth in it is easy to guess."),
    "learner-code": ("PIN ที่มีตัวเลขจากรหัสผู้เรียนของคุณ คนอื่นเดาได้ง่าย",
                     "A PIN with the digits of your learner code in it is easy to guess: the code is on your card."),
    "one-digit": ("PIN ที่เป็นเลขตัวเดียวซ้ำกัน เช่น 1111", "A PIN of one digit repeated, like 1111, is easy to guess."),
    "in-a-row": ("PIN ที่เป็นเลขเรียงกัน เช่น 1234 หรือ 9876", "A PIN of digits in a row, like 1234 or 9876, is easy to guess."),
    "repeated": ("PIN ที่เป็นเลขชุดสั้น ๆ ซ้ำกัน",
                 "A PIN of a small group repeated, like 1212 or 123123, or of pairs, like 1122, is easy to guess."),
    "keypad": ("PIN ที่กดเป็นเส้นตรงบนแป้นตัวเลข", "A PIN in a straight line on the keypad, like 2580, is easy to guess."),
    "year": ("PIN ที่เป็นตัวเลขปี เช่น 1967 หรือ 2510", "A PIN that is a year, like 1967 or 2510, is easy to guess."),
    "common": ("เป็นเลขที่คนเลือกใช้กันมากที่สุด", "This is one of the PINs people choose most often: thieves try those first."),
}
# One example per rule, for the forms (the year of birth is typed as 2510 at registration, stored as 1967 later).
FORM_EXAMPLES = [("196758", "birth-year"), ("834701", "learner-code"), ("0000", "one-digit"), ("9876", "in-a-row"),
                 ("123123", "repeated"), ("2580", "keypad"), ("1984", "year"), ("1004", "common")]
LANGUAGES = {"th": 0, "en": 1}
HINTS = {  # the end of the PIN field's hint, in each language: at /pin, the learner code counts too
    "/register": ("และไม่ใช่ตัวเลขปี เช่น ปีเกิดของคุณ", "and not a year, such as your year of birth."),
    "/pin": ("และไม่ใช่ตัวเลขจากรหัสผู้เรียนของคุณ", "and not the digits of your learner code."),
}


@pytest.mark.parametrize(("pin", "rule"), REFUSED)
def test_each_kind_of_guessable_pin_is_refused_for_its_reason(pin, rule):
    assert [broken.key for broken in pins.broken_rules(pin, **PERSON)][:1] == [rule]


@pytest.mark.parametrize("pin", GOOD)
def test_pins_nobody_would_guess_are_accepted(pin):
    assert pins.broken_rules(pin, **PERSON) == []


def test_the_personal_rules_need_what_we_know_of_the_person():
    assert pins.broken_rules("196758") == [] and pins.broken_rules("834701") == []  # nothing known: nothing refused
    assert pins.broken_rules("251099", birth_year=1967)[0].key == "birth-year"  # either era
    assert pins.broken_rules("4701", learner_code="AC4E7X") == []  # two digits of a code are not a sequence to avoid
    assert pins.broken_rules("93470", learner_code="3AC4E7")[0].key == "learner-code"  # its digits in order, spread or not


def test_every_published_pin_is_a_well_formed_pin_and_refused():
    assert len(pins.COMMON_PINS) > 60
    assert all(pins.WELL_FORMED.fullmatch(pin) and pins.broken_rules(pin) for pin in pins.COMMON_PINS)
    assert not pins.WELL_FORMED.fullmatch("1234\n")  # the form's pattern too: no trailing newline slips through


def use_language(client, language: str, page: str) -> None:
    """Read `page` (a page the person may open) and, for English, press its language button."""
    if language == "en":
        token = csrf_token(client.get(page).get_data(as_text=True))
        assert client.post("/language", data={"lang": "en", "csrf_token": token}).status_code == 303


def assert_refused_with_reasons(client, page: str, language: str, examples, **fields) -> None:
    assert HINTS[page][LANGUAGES[language]] in client.get(page).get_data(as_text=True)
    for pin, rule in examples:
        html = submit(client, page, {"pin": pin, "pin_confirm": pin, **fields}).get_data(as_text=True)
        assert REASONS[rule][LANGUAGES[language]] in field_error(html, "pin"), pin


@pytest.mark.parametrize("language", LANGUAGES)
def test_registration_refuses_a_guessable_pin_with_its_reason(app, client, language):
    use_language(client, language, "/register")
    typed = {"display_name": "Anan", "birth_year": "2510", "consent": "y"}
    assert_refused_with_reasons(client, "/register", language,
                                [example for example in FORM_EXAMPLES if example[1] != "learner-code"], **typed)
    with app.app_context():
        assert db.session.scalar(select(User)) is None
    assert submit(client, "/register", {"pin": "583920", "pin_confirm": "583920", **typed}).status_code == 303


def test_registration_draws_a_learner_code_the_pin_does_not_hold(app, client, monkeypatch):
    drawn = iter(["CAT347", "CAT349"])
    monkeypatch.setattr(codes, "new_code", lambda length=codes.LEARNER_CODE_LENGTH: next(drawn))
    submit(client, "/register", {"display_name": "Anan", "pin": "834701", "pin_confirm": "834701", "consent": "y"})
    with app.app_context():
        assert db.session.scalar(select(User.learner_code)) == "CAT349"  # CAT-347 would make 834701 guessable


def known_learner(app, make_learner):
    """A learner born in 1967 with the code CAT-347."""
    learner = make_learner()
    with app.app_context():
        db.session.execute(update(User).where(User.id == learner.id).values(**PERSON))
        db.session.commit()
    learner.code = PERSON["learner_code"]
    return learner


@pytest.mark.parametrize("language", LANGUAGES)
def test_changing_the_pin_refuses_a_guessable_one_with_its_reason(app, client, make_learner, sign_in, language):
    learner = known_learner(app, make_learner)
    sign_in(learner)
    use_language(client, language, "/pin")
    assert_refused_with_reasons(client, "/pin", language, FORM_EXAMPLES)
    assert submit(client, "/pin", {"pin": "583920", "pin_confirm": "583920"}).status_code == 303


@pytest.mark.parametrize("language", LANGUAGES)
def test_after_a_reset_the_starting_pin_and_the_chosen_one_are_hard_to_guess(
        app, client, make_learner, make_centre, make_cohort, enrol, make_staff, staff_sign_in, monkeypatch, language):
    centre = make_centre()
    learner = known_learner(app, make_learner)
    enrol(learner.id, make_cohort(centre))
    trainer = app.test_client()
    staff_sign_in(make_staff("trainer", centre_id=centre), on=trainer)
    drawn = iter([196758, 123456, 583920])  # the first has this learner's year of birth, the second is a run
    monkeypatch.setattr(services.secrets, "randbelow", lambda below: next(drawn))
    page = submit(trainer, f"/learners/{learner.id}", {}, action=f"/learners/{learner.id}/pin").get_data(as_text=True)
    starting_pin = page.split('<dd class="code-display" lang="en">')[2].split("<")[0]
    assert starting_pin == "583920"

    assert submit(client, "/sign-in", {"code": learner.code, "pin": starting_pin}).status_code == 303
    assert client.get("/").headers["Location"] == "/pin"
    use_language(client, language, "/pin")
    assert_refused_with_reasons(client, "/pin", language, FORM_EXAMPLES)
    assert submit(client, "/pin", {"pin": "480213", "pin_confirm": "480213"}).headers["Location"] == "/"


def test_new_starting_pins_skip_guessable_ones(monkeypatch):
    drawn = iter([0, 123456, 111111, 147258, 251044, 834701, 480213])
    monkeypatch.setattr(services.secrets, "randbelow", lambda below: next(drawn))
    assert services.new_starting_pin(**PERSON) == "480213"
    drawn = iter([7])
    assert services.new_starting_pin() == "000007"  # always 6 digits


def test_a_roster_never_gets_a_starting_pin_with_the_learners_birth_year(app, make_staff, monkeypatch):
    drawn = iter([196758, 583920])
    monkeypatch.setattr(services.secrets, "randbelow", lambda below: next(drawn))
    with app.app_context():
        actor = db.session.get(User, make_staff("admin").id)
        [(_learner, pin)] = services.add_learners(actor, [{"display_name": "ลุงบุญมี", "birth_year": 1967, "gender": None}])
        assert pin == "583920"
        db.session.rollback()
