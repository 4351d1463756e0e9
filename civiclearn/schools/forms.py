"""Forms of the school pages: a class, assigning modules, a due date, joining a class with its code."""

from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone
from wtforms import StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from civiclearn import codes
from civiclearn.database import utcnow
from civiclearn.forms import DayField, Form, code_field
from civiclearn.i18n import BUDDHIST_ERA_OFFSET
from civiclearn.learning.forms import CheckboxesField
from civiclearn.schools.services import JOIN_CODE_LENGTH

YEARS_AROUND = 5  # an academic year this far from the current one is a typing mistake
ACADEMIC_YEAR_STARTS = 5  # the Thai school year starts in May


def current_academic_year() -> int:
    """The academic year running today, Buddhist Era: 2569 from May 2026 to April 2027."""
    today = to_user_timezone(utcnow()).date()
    return today.year + BUDDHIST_ERA_OFFSET - (1 if today.month < ACADEMIC_YEAR_STARTS else 0)


def _academic_year(form, field) -> None:
    """Keep the year as a Buddhist Era year; a Christian Era year (2026) is turned into one (2569)."""
    text = codes.from_thai_keyboard(str(field.data or "").strip())
    year = int(text) if text.isascii() and text.isdigit() else 0
    year = year + BUDDHIST_ERA_OFFSET if 0 < year < 2400 else year
    if abs(year - current_academic_year()) > YEARS_AROUND:
        raise ValidationError(_l("Write the academic year in the Buddhist Era, like %(year)s.",
                                 year=current_academic_year()))
    field.data = year


def _one_line(value):
    return " ".join(value.split()) if isinstance(value, str) else value


class ClassForm(Form):
    name = StringField(_l("Class name"), description=_l("As your school writes it, for example ม.2/1."),
                       filters=[_one_line],
                       validators=[DataRequired(_l("Enter the class name.")),
                                   Length(max=100, message=_l("Use at most 100 characters."))],
                       render_kw={"autocomplete": "off"})
    grade = StringField(_l("Grade"), description=_l("For example ม.2 or ป.6."), filters=[_one_line],
                        validators=[DataRequired(_l("Enter the grade.")),
                                    Length(max=20, message=_l("Use at most 20 characters."))],
                        render_kw={"autocomplete": "off"})
    year = StringField(_l("Academic year (Buddhist Era)"), default=current_academic_year,
                       validators=[InputRequired(_l("Enter the academic year.")), _academic_year],
                       render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 4})


def _offered(form, field) -> None:
    """Only modules the page offered (WTForms' own message for others is not translated)."""
    if not field.data:
        raise ValidationError(_l("Choose at least one module."))
    if not set(field.data) <= {value for value, _label in field.choices}:
        raise ValidationError(_l("Choose from the modules shown."))


class AssignForm(Form):
    """Modules (their database ids, as text) and one due date for all of them; the view sets the choices."""

    modules = CheckboxesField(_l("Modules to assign"), validators=[_offered], validate_choice=False)
    due_on = DayField(_l("Due date (optional)"), description=_l("Leave it empty for no due date."),
                      validators=[Optional()], render_kw={"autocomplete": "off"})


class DueDateForm(Form):
    due_on = DayField(_l("Due date"), description=_l("Leave it empty for no due date."),
                      validators=[Optional()], render_kw={"autocomplete": "off"})


class JoinForm(Form):
    code = code_field(_l("Class code"), description=_l("The code your teacher gave you, for example ACE-479."),
                      required_message=_l("Enter the class code."))

    def validate_code(self, field) -> None:
        if field.data and not codes.is_well_formed(field.data, JOIN_CODE_LENGTH):
            raise ValidationError(_l("A class code has 6 letters and digits, like ACE-479. Check it with your teacher."))
