"""Make a strong PIN or password: feedback on a typed example, which is never stored or shown again.

The example is read from the form, checked, and forgotten: it is not saved, not kept in the
session, not carried over by the language switch (its field name starts with "pin"/"password"),
and the page never writes it back.

An example PIN is judged by the rule the PIN forms use (civiclearn.pins), in the same words, and against
the learner's own year of birth and learner code: what the lesson calls strong, the PIN forms accept.
A lesson about another service's PIN gives its length (`digits: 8` for ThaID's passcode): the example must then
have exactly that many digits, and the same rules judge it.
The answer, shown after two weak examples, is a strong example made up on the spot, so that nobody adopts
one printed for everybody.
"""

import secrets
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_login import current_user
from wtforms import PasswordField
from wtforms.validators import InputRequired, Length

from civiclearn import pins
from civiclearn.codes import COMMON_SECRETS, from_thai_keyboard
from civiclearn.courses.activities.base import ActivityType, Answer, Check, Review
from civiclearn.courses.fields import FieldReader
from civiclearn.courses.yamlfile import LineMap
from civiclearn.forms import Form, bind

KINDS = ("pin", "password")
DIGITS = range(4, 13)  # the length a lesson may ask of an example PIN: ThaID's passcode has 8
# Thai words written in Latin letters, as the password lesson's example (nokkaew-rotdaeng-khaotom) is: the answer
# joins three of them at random.
EXAMPLE_WORDS = ("nokkaew", "rotdaeng", "khaotom", "maprao", "thungna", "fonrok", "mamuang", "chaothai",
                 "roimai", "khanom", "duangdao", "sainam", "pladuk", "bailan", "somtam", "rimkhlong")


@dataclass(frozen=True)
class Spec:
    kind: str  # "pin" or "password"
    digits: int | None = None  # a PIN of exactly this many digits; None: 4 to 6, as the PIN forms want


def read(reader: FieldReader, path: str, data: LineMap) -> Spec | None:
    """Whether learners try an example PIN or an example password, and how many digits the PIN has."""
    kind = data.get("kind")
    if kind not in KINDS:
        reader.problem(path, data.line_of("kind"), f"kind must be one of {', '.join(KINDS)}")
        return None
    if "digits" not in data:
        return Spec(kind)
    if kind != "pin":
        reader.problem(path, data.line_of("digits"), "digits is for kind: pin only")
        return None
    digits = reader.integer(path, data, "digits", DIGITS.start, DIGITS.stop - 1)
    return Spec(kind, digits) if digits is not None else None


def form(spec: Spec, language: str, formdata=None) -> Form:
    """One field for the example; a password field, so the page never writes the example back."""
    if spec.kind == "pin" and spec.digits:
        label = _("Type an example PIN of %(count)s digits (not your real one)", count=spec.digits)
    elif spec.kind == "pin":
        label = _("Type an example PIN (not your real one)")
    else:
        label = _("Type an example password (not your real one)")
    attributes = {"autocomplete": "off", "spellcheck": "false"}
    if spec.kind == "pin":
        attributes["inputmode"] = "numeric"
    fields = {f"{spec.kind}_example": PasswordField(label, validators=[
        InputRequired(_("Type an example first.")), Length(max=128, message=_("Use at most 128 characters."))],
        render_kw=attributes)}
    return bind(type("StrongPinForm", (Form,), fields), formdata)


def _repeats(text: str) -> bool:
    """Made of one short piece repeated (111111, 121212, 123123, abcabc)."""
    return any(len(text) % size == 0 and text == text[:size] * (len(text) // size) for size in (1, 2, 3)
               if len(text) > size)


def _well_formed(example: str, digits: int | None) -> Check:
    """Digits only (ASCII: the rules judge digits), 4 to 6 of them as the PIN forms want, or exactly `digits`."""
    if digits is None:
        if pins.WELL_FORMED.fullmatch(example):
            return Check(True, _("It is 4 to 6 digits, nothing else."))
        return Check(False, _("Use 4 to 6 digits, and nothing else: no letters, spaces or signs."))
    if len(example) == digits and example.isascii() and example.isdigit():
        return Check(True, _("It is %(count)s digits, nothing else.", count=digits))
    return Check(False, _("Use exactly %(count)s digits, and nothing else: no letters, spaces or signs.", count=digits))


def pin_checks(example: str, birth_year: int | None = None, learner_code: str | None = None,
               digits: int | None = None) -> list[Check]:
    """Is it a PIN at all (of `digits` digits, if given), then one check per rule of civiclearn.pins, with the
    form's reason when the example breaks the rule. The rules about the learner's own year of birth and code show
    only when broken."""
    well_formed = _well_formed(example, digits)
    if not well_formed.passed:
        return [well_formed]
    broken = pins.broken_rules(example, birth_year, learner_code)
    return [well_formed] + [Check(rule not in broken, str(rule.reason if rule in broken else rule.label))
                            for rule in pins.RULES if rule in broken or not rule.personal]


def password_checks(example: str) -> list[Check]:
    """Length beats tricks: a long phrase, nothing common, not one piece repeated. Each says what it found, or what to
    change."""
    lowered = example.lower()
    rules = [
        (len(example) >= 12,
         _("It is long: at least 12 characters. Three or four words together are easy to remember."),
         _("Make it longer: at least 12 characters. Three or four words together are easy to remember.")),
        (not any(common in lowered for common in COMMON_SECRETS),
         _("It does not contain a password everybody uses, like 123456 or password."),
         _("Take out the part everybody uses, like 123456 or password.")),
        (not _repeats(lowered), _("It is not one small piece repeated."),
         _("Do not repeat one small piece: put different words together.")),
        (not example.isdigit(), _("It is not only digits."),
         _("Add letters or words: a password of digits only is easy to guess.")),
    ]
    return [Check(passed, kept if passed else change) for passed, kept, change in rules]


def _checks(spec: Spec, example: str) -> list[Check]:
    if spec.kind == "pin":  # judged against the learner's own year of birth and code, as the PIN forms do
        learner = current_user
        return pin_checks(example, getattr(learner, "birth_year", None), getattr(learner, "learner_code", None),
                          spec.digits)
    return password_checks(example)


def review(spec: Spec, form: Form, language: str) -> Review:
    """Done when one example passes every check; the example itself goes no further than this."""
    checks = _checks(spec, from_thai_keyboard(form[f"{spec.kind}_example"].data.strip()))
    return Review(done=all(check.passed for check in checks), checks=checks)


def _example_digits(spec: Spec) -> int:
    """The length of the strong example shown as the answer: the lesson's, or 6, within what the PIN forms take."""
    return spec.digits or 6


def _strong_example(spec: Spec) -> str:
    """A random example that passes every check for this learner: 6 digits (or the lesson's number of digits), or
    three words joined by dashes."""
    while True:
        if spec.kind == "pin":
            digits = _example_digits(spec)
            example = f"{secrets.randbelow(10 ** digits):0{digits}d}"
        else:
            example = "-".join(secrets.SystemRandom().sample(EXAMPLE_WORDS, 3))  # three different words
        if all(check.passed for check in _checks(spec, example)):
            return example


def answer(spec: Spec, language: str) -> list[Answer]:
    """A strong example, and what makes it strong; never one to use for real."""
    if spec.kind == "pin":
        return [Answer(_("A strong example PIN"), _strong_example(spec), _(
            "%(count)s digits that make no pattern: not in a row, not repeated, not a year, and nothing about you. "
            "Do not use this one: make up your own the same way, and tell it to nobody.", count=_example_digits(spec)))]
    return [Answer(_("A strong example password"), _strong_example(spec), _(
        "Three words that have nothing to do with each other, joined together: long, easy for you to remember and "
        "hard for anyone to guess. Do not use this one: make up your own the same way, and tell it to nobody."))]


TYPE = ActivityType("strong-pin", frozenset({"kind", "digits"}), read, form, review, answer,
                    "activities/strong-pin.html")
