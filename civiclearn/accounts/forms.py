"""Registration and sign-in forms; every message is translated and shown next to its field."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Regexp, ValidationError

from civiclearn import codes
from civiclearn.forms import FormTokenField

PIN_PATTERN = r"^[0-9]{4,6}$"
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
PIN_ATTRIBUTES = {"inputmode": "numeric", "autocomplete": "off", "maxlength": 6}
PIN_FILTERS = [lambda value: codes.from_thai_keyboard(value) if isinstance(value, str) else value]


def _strip(value: str | None) -> str | None:
    return " ".join(value.split()) if isinstance(value, str) else value


def _no_control_characters(form, field) -> None:
    if CONTROL_CHARACTERS.search(field.data or ""):
        raise ValidationError(_l("Use letters, numbers and spaces only."))


class RegisterForm(FlaskForm):
    token = FormTokenField()
    display_name = StringField(
        _l("Your name"),
        description=_l("The name your trainer and certificates will show. It does not have to be your full name."),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter your name.")),
            Length(max=60, message=_l("Use at most 60 characters.")),
            _no_control_characters,
        ],
        render_kw={"autocomplete": "off"},
    )
    pin = PasswordField(
        _l("Choose a PIN"),
        description=_l("4 to 6 digits. Choose one that others cannot guess: not your birth year, not 1234."),
        filters=PIN_FILTERS,
        validators=[
            InputRequired(_l("Choose a PIN.")),
            Regexp(PIN_PATTERN, message=_l("A PIN is 4 to 6 digits (0-9), nothing else.")),
        ],
        render_kw=PIN_ATTRIBUTES,
    )
    pin_confirm = PasswordField(
        _l("Type the PIN again"),
        filters=PIN_FILTERS,
        validators=[
            InputRequired(_l("Type the PIN again.")),
            EqualTo("pin", message=_l("The two PINs are not the same. Type them again.")),
        ],
        render_kw=PIN_ATTRIBUTES,
    )


class SignInForm(FlaskForm):
    code = StringField(
        _l("Learner code"),
        description=_l("The code on your learner card, for example ACE-479."),
        filters=[lambda value: codes.normalise(value) if isinstance(value, str) else value],
        validators=[InputRequired(_l("Enter your learner code."))],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )
    pin = PasswordField(
        _l("PIN"),
        filters=PIN_FILTERS,
        validators=[InputRequired(_l("Enter your PIN."))],
        render_kw=PIN_ATTRIBUTES,
    )

    def validate_code(self, field) -> None:
        if field.data and not codes.is_well_formed(field.data):
            raise ValidationError(_l("A learner code has 6 letters and digits, like ACE-479. Check your card."))
