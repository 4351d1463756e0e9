"""Make a strong PIN or password: feedback on a typed example, which is never stored or shown again.

The example is read from the form, checked, and forgotten: it is not saved, not kept in the
session, not carried over by the language switch (its field name starts with "pin"/"password"),
and the page never writes it back.
"""

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import InputRequired, Length

from civiclearn.activities.base import ActivityType, Check, Review
from civiclearn.forms import bind
from civiclearn.codes import COMMON_SECRETS, from_thai_keyboard
from civiclearn.courses.fields import FieldReader
from civiclearn.courses.yamlfile import LineMap

KINDS = ("pin", "password")
YEAR = re.compile(r"(19|20|24|25)\d\d")  # a year of the Christian or the Buddhist Era


@dataclass(frozen=True)
class Spec:
    kind: str  # "pin" or "password"


DIGITS = re.compile(r"[0-9]+")  # ASCII digits only: str.isdigit() also accepts ² and ₂, which int() refuses


def read(reader: FieldReader, path: str, data: LineMap) -> Spec | None:
    """Whether learners try an example PIN or an example password."""
    kind = data.get("kind")
    if kind not in KINDS:
        reader.problem(path, data.line_of("kind"), f"kind must be one of {', '.join(KINDS)}")
        return None
    return Spec(kind)


def form(spec: Spec, language: str, formdata=None) -> FlaskForm:
    """One field for the example; a password field, so the page never writes the example back."""
    label = _("Type an example PIN (not your real one)") if spec.kind == "pin" else _("Type an example password (not your real one)")
    attributes = {"autocomplete": "off", "spellcheck": "false"}
    if spec.kind == "pin":
        attributes["inputmode"] = "numeric"
    fields = {f"{spec.kind}_example": PasswordField(label, validators=[
        InputRequired(_("Type an example first.")), Length(max=128, message=_("Use at most 128 characters."))],
        render_kw=attributes)}
    return bind(type("StrongPinForm", (FlaskForm,), fields), formdata)


def _looks_like_a_date(digits: str) -> bool:
    """DDMMYY or DDMMYYYY, as people pick from a birthday."""
    if not DIGITS.fullmatch(digits) or len(digits) not in (6, 8):
        return False
    day, month = int(digits[:2]), int(digits[2:4])
    try:
        date(2000, month, day)
    except ValueError:
        return False
    return True


def _repeats(text: str) -> bool:
    """Made of one short piece repeated (111111, 121212, 123123, abcabc)."""
    return any(len(text) % size == 0 and text == text[:size] * (len(text) // size) for size in (1, 2, 3)
               if len(text) > size)


def _in_sequence(digits: str) -> bool:
    """Digits that go up or down by one each time (1234, 98765)."""
    steps = {int(b) - int(a) for a, b in zip(digits, digits[1:], strict=False)}
    return len(digits) > 2 and steps in ({1}, {-1})


def pin_checks(example: str) -> list[Check]:
    """What a thief would try first, one check each."""
    digits_only = bool(DIGITS.fullmatch(example))
    return [
        Check(digits_only and 4 <= len(example) <= 6, _("It is 4 to 6 digits, nothing else.")),
        Check(digits_only and len(example) == 6, _("It has 6 digits: each extra digit makes it ten times harder to guess.")),
        Check(not (digits_only and _in_sequence(example)), _("It is not a run of digits like 1234 or 9876.")),
        Check(not _repeats(example), _("It is not one digit or one small group repeated, like 1111 or 1212.")),
        Check(not (YEAR.fullmatch(example) or _looks_like_a_date(example)),
              _("It is not a year or a date: birthdays are the first thing a thief tries.")),
        Check(example not in COMMON_SECRETS, _("It is not on the list of PINs everybody uses.")),
    ]


def password_checks(example: str) -> list[Check]:
    """Length beats tricks: a long phrase, nothing common, not one piece repeated."""
    lowered = example.lower()
    return [
        Check(len(example) >= 12, _("It is long: at least 12 characters. Three or four words together are easy to remember.")),
        Check(not any(common in lowered for common in COMMON_SECRETS), _("It does not contain a password everybody uses, like 123456 or password.")),
        Check(not _repeats(lowered), _("It is not one small piece repeated.")),
        Check(not example.isdigit(), _("It is not only digits.")),
    ]


def review(spec: Spec, form: FlaskForm, language: str) -> Review:
    """Done when one example passes every check; the example itself goes no further than this."""
    example = from_thai_keyboard(form[f"{spec.kind}_example"].data.strip())
    checks = pin_checks(example) if spec.kind == "pin" else password_checks(example)
    return Review(done=all(check.passed for check in checks), checks=checks)


TYPE = ActivityType("strong-pin", frozenset({"kind"}), read, form, review, "activities/strong-pin.html")
