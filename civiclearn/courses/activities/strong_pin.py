"""Make a strong PIN or password: feedback on a typed example, which is never stored or shown again.

The example is read from the form, checked, and forgotten: it is not saved, not kept in the
session, not carried over by the language switch (its field name starts with "pin"/"password"),
and the page never writes it back.

An example PIN is judged by the rule the PIN forms use (civiclearn.pins), in the same words, and against
the learner's own year of birth and learner code: what the lesson calls strong, the PIN forms accept.
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_login import current_user
from wtforms import PasswordField
from wtforms.validators import InputRequired, Length

from civiclearn import pins
from civiclearn.codes import COMMON_SECRETS, from_thai_keyboard
from civiclearn.courses.activities.base import ActivityType, Check, Review
from civiclearn.courses.fields import FieldReader
from civiclearn.courses.yamlfile import LineMap
from civiclearn.forms import Form, bind

KINDS = ("pin", "password")


@dataclass(frozen=True)
class Spec:
    kind: str  # "pin" or "password"



def read(reader: FieldReader, path: str, data: LineMap) -> Spec | None:
    """Whether learners try an example PIN or an example password."""
    kind = data.get("kind")
    if kind not in KINDS:
        reader.problem(path, data.line_of("kind"), f"kind must be one of {', '.join(KINDS)}")
        return None
    return Spec(kind)


def form(spec: Spec, language: str, formdata=None) -> Form:
    """One field for the example; a password field, so the page never writes the example back."""
    label = _("Type an example PIN (not your real one)") if spec.kind == "pin" else _("Type an example password (not your real one)")
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


def pin_checks(example: str, birth_year: int | None = None, learner_code: str | None = None) -> list[Check]:
    """Is it a PIN at all, then one check per rule of civiclearn.pins, with the form's reason when the example
    breaks the rule. The rules about the learner's own year of birth and code show only when broken."""
    well_formed = Check(bool(pins.WELL_FORMED.fullmatch(example)), _("It is 4 to 6 digits, nothing else."))
    if not well_formed.passed:
        return [well_formed]  # the rules judge digits
    broken = pins.broken_rules(example, birth_year, learner_code)
    return [well_formed] + [Check(rule not in broken, str(rule.reason if rule in broken else rule.label))
                            for rule in pins.RULES if rule in broken or not rule.personal]


def password_checks(example: str) -> list[Check]:
    """Length beats tricks: a long phrase, nothing common, not one piece repeated."""
    lowered = example.lower()
    return [
        Check(len(example) >= 12, _("It is long: at least 12 characters. Three or four words together are easy to remember.")),
        Check(not any(common in lowered for common in COMMON_SECRETS), _("It does not contain a password everybody uses, like 123456 or password.")),
        Check(not _repeats(lowered), _("It is not one small piece repeated.")),
        Check(not example.isdigit(), _("It is not only digits.")),
    ]


def review(spec: Spec, form: Form, language: str) -> Review:
    """Done when one example passes every check; the example itself goes no further than this."""
    example = from_thai_keyboard(form[f"{spec.kind}_example"].data.strip())
    if spec.kind == "pin":  # judged against the learner's own year of birth and code, as the PIN forms do
        learner = current_user
        checks = pin_checks(example, getattr(learner, "birth_year", None), getattr(learner, "learner_code", None))
    else:
        checks = password_checks(example)
    return Review(done=all(check.passed for check in checks), checks=checks)


TYPE = ActivityType("strong-pin", frozenset({"kind"}), read, form, review, "activities/strong-pin.html")
