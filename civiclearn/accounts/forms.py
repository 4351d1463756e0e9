"""Forms about people: registering, signing in, PINs and passwords, a learner's details.

Every message is translated and shown next to its field.
"""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional, Regexp, ValidationError

from civiclearn import codes, pins
from civiclearn.accounts.models import GENDERS, User
from civiclearn.accounts.services import birth_year_from
from civiclearn.database import utcnow
from civiclearn.forms import Form, FormTokenField, code_field

PIN_ATTRIBUTES = {"inputmode": "numeric", "autocomplete": "off", "maxlength": 6}
PIN_FILTERS = [lambda value: codes.from_thai_keyboard(value) if isinstance(value, str) else value]
PASSWORD_MIN_LENGTH = 12
ADULT_AGE = 18


def _strip(value: str | None) -> str | None:
    return " ".join(value.split()) if isinstance(value, str) else value


def _a_birth_year(form, field) -> None:
    """Keep the year as a Christian Era year; Thai people usually write the Buddhist Era."""
    try:
        field.data = birth_year_from(field.data)
    except ValueError:
        raise ValidationError(_l("Write the year you were born, like 2510 or 1967.")) from None


def _strong_password(form, field) -> None:
    password = field.data or ""
    if len(password) < PASSWORD_MIN_LENGTH or password.lower() in codes.COMMON_SECRETS or len(set(password)) < 4:
        raise ValidationError(_l("Use at least 12 characters, not a common password. A few words together work well."))


def name_field(label=_l("Name")) -> StringField:
    return StringField(
        label,
        description=_l("The name the trainer and certificates will show. It does not have to be the full name."),
        filters=[_strip],
        validators=[DataRequired(_l("Enter a name.")), Length(max=60, message=_l("Use at most 60 characters."))],
        render_kw={"autocomplete": "off"},
    )


def birth_year_field() -> StringField:
    return StringField(
        _l("Year of birth (optional)"),
        description=_l("Buddhist Era or Christian Era, for example 2510. Only used to count age groups."),
        filters=[lambda typed: typed.strip() or None if isinstance(typed, str) else typed],  # blank: not given
        validators=[Optional(), _a_birth_year],
        render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 4},
    )


def gender_field() -> RadioField:
    labels = {"female": _l("Woman"), "male": _l("Man"), "other": _l("Other")}
    return RadioField(_l("Gender (optional)"), choices=[SelectChoice("", _l("Prefer not to say"))]
                      + [SelectChoice(gender, labels[gender]) for gender in GENDERS],
                      default="", validators=[Optional()], validate_choice=True)


def new_pin_fields(description) -> tuple[PasswordField, PasswordField]:
    """A new PIN and its confirmation; the form's validate_pin refuses one easy to guess (civiclearn.pins)."""
    pin = PasswordField(
        _l("Choose a PIN"),
        description=description,
        filters=PIN_FILTERS,
        validators=[InputRequired(_l("Choose a PIN.")),
                    Regexp(pins.PIN_PATTERN, message=_l("A PIN is 4 to 6 digits (0-9), nothing else."))],
        render_kw=PIN_ATTRIBUTES,
    )
    confirm = PasswordField(
        _l("Type the PIN again"),
        filters=PIN_FILTERS,
        validators=[InputRequired(_l("Type the PIN again.")),
                    EqualTo("pin", message=_l("The two PINs are not the same. Type them again."))],
        render_kw=PIN_ATTRIBUTES,
    )
    return pin, confirm


def _refuse_guessable(field, birth_year: int | None, learner_code: str | None = None) -> None:
    """The form's PIN, once it is 4 to 6 digits, judged by the one rule of civiclearn.pins."""
    problem = None if field.errors else pins.pin_problem(field.data, birth_year, learner_code)
    if problem:
        raise ValidationError(problem)


class RegisterForm(Form):
    token = FormTokenField()
    display_name = name_field(_l("Your name"))
    pin, pin_confirm = new_pin_fields(_l("4 to 6 digits that others cannot guess: not repeated or in a line, like "
                                         "1111, 1212, 1234 or 2580, and not a year, such as your year of birth."))
    birth_year = birth_year_field()
    consent = BooleanField(
        _l("I agree that CivicLearn keeps this name, my year of birth if I gave it, and what I learn here."),
        validators=[DataRequired(_l("Please agree, or ask the trainer if you have a question."))],
    )
    guardian_consent = BooleanField(_l("I am under 18, and my parent or guardian agrees too."))

    def validate_guardian_consent(self, field) -> None:
        year = self.birth_year.data
        if isinstance(year, int) and utcnow().year - year < ADULT_AGE and not field.data:
            raise ValidationError(_l("Under 18: ask a parent or guardian, and tick this box if they agree."))

    def validate_pin(self, field) -> None:
        """The year of birth typed below counts too (the learner code is drawn afterwards, to fit the PIN)."""
        try:
            typed_year = birth_year_from(self.birth_year.data)
        except ValueError:
            typed_year = None  # the year's own error says so
        _refuse_guessable(field, typed_year)


class ChangePinForm(Form):
    """A learner's own new PIN, judged against their stored year of birth and learner code."""

    pin, pin_confirm = new_pin_fields(_l("4 to 6 digits that others cannot guess: not repeated or in a line, like "
                                         "1111, 1212, 1234 or 2580, not a year, such as your year of birth, and not "
                                         "the digits of your learner code."))

    def __init__(self, learner: User, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.learner = learner

    def validate_pin(self, field) -> None:
        _refuse_guessable(field, self.learner.birth_year, self.learner.learner_code)


class SignInForm(Form):
    code = code_field(_l("Learner code"), description=_l("The code on your learner card, for example ACE-479."),
                      required_message=_l("Enter your learner code."))
    pin = PasswordField(_l("PIN"), filters=PIN_FILTERS, validators=[InputRequired(_l("Enter your PIN."))],
                        render_kw=PIN_ATTRIBUTES)

    def validate_code(self, field) -> None:
        if field.data and not codes.is_well_formed(field.data):
            raise ValidationError(_l("A learner code has 6 letters and digits, like ACE-479. Check your card."))


class StaffSignInForm(Form):
    login = StringField(_l("Username or email"), filters=[_strip],
                        validators=[InputRequired(_l("Enter your username or email."))],
                        render_kw={"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"})
    password = PasswordField(_l("Password"), validators=[InputRequired(_l("Enter your password."))],
                             render_kw={"autocomplete": "current-password"})


def new_password_field(label) -> PasswordField:
    return PasswordField(label, description=_l("At least 12 characters. A few words together work well."),
                         validators=[InputRequired(_l("Choose a password.")), _strong_password],
                         render_kw={"autocomplete": "new-password"})


class ChangePasswordForm(Form):
    """Staff change their own password: the current one first, so a session left open is not enough."""

    current = PasswordField(_l("Current password"), validators=[InputRequired(_l("Enter your password."))],
                            render_kw={"autocomplete": "current-password"})
    password = new_password_field(_l("New password"))
    password_confirm = PasswordField(
        _l("New password again"), render_kw={"autocomplete": "new-password"},
        validators=[InputRequired(_l("Type the new password again.")),
                    EqualTo("password", message=_l("The two passwords are not the same. Type them again."))])


class StaffAccountForm(Form):
    """A new staff account, as an admin creates it."""

    display_name = name_field()
    username = StringField(_l("Username"), filters=[lambda value: value.strip().lower() if isinstance(value, str) else value],
                           validators=[InputRequired(_l("Choose a username.")),
                                       Regexp(r"^[a-z0-9._-]{3,60}$", message=_l("3 to 60 letters a-z, digits, dots, dashes or underscores."))],
                           render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"})
    email = StringField(_l("Email (optional)"), filters=[_strip],
                        validators=[Optional(), Length(max=254, message=_l("Use at most 254 characters.")),
                                    Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Check the email address."))],
                        render_kw={"autocomplete": "off", "inputmode": "email"})
    password = new_password_field(_l("Password"))


class LearnerDetailsForm(Form):
    """What a learner (or their trainer) may correct: the name, the year of birth, the gender."""

    display_name = name_field()
    birth_year = birth_year_field()
    gender = gender_field()
