"""Forms of the school pages: a class, assigning modules, a due date, joining a class with its code."""

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone
from wtforms import StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from civiclearn import codes
from civiclearn.database import utcnow
from civiclearn.forms import Form, ThaiDayField, code_field
from civiclearn.i18n import BUDDHIST_ERA_FROM, BUDDHIST_ERA_OFFSET, format_date
from civiclearn.learning.forms import CheckboxesField
from civiclearn.schools.services import JOIN_CODE_LENGTH

YEARS_AROUND = 5  # an academic year this far from the current one is a typing mistake
ACADEMIC_YEAR_STARTS = 5  # the Thai school year starts in May
# A due date may lie a year back (a late module given a date afterwards, work of the last term) and two years ahead
# (next academic year's plan, made in this one). Further off it is a typing mistake, such as 3112 for 2569.
DUE_YEARS_BACK = 1
DUE_YEARS_AHEAD = 2


def today() -> date:
    """Today where the teacher is (the app's time zone)."""
    return to_user_timezone(utcnow()).date()


def current_academic_year() -> int:
    """The academic year running today, Buddhist Era: 2569 from May 2026 to April 2027."""
    now = today()
    return now.year + BUDDHIST_ERA_OFFSET - (1 if now.month < ACADEMIC_YEAR_STARTS else 0)


def _academic_year(form, field) -> None:
    """Keep the year as a Buddhist Era year; a Christian Era year (2026) is turned into one (2569)."""
    text = codes.from_thai_keyboard(str(field.data or "").strip())
    year = int(text) if text.isascii() and text.isdigit() else 0
    year = year + BUDDHIST_ERA_OFFSET if 0 < year < BUDDHIST_ERA_FROM else year
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


def years_from(day: date, years: int) -> date:
    """The same day `years` later (earlier if negative); 29 February becomes the 28th in other years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def due_date_range() -> tuple[date, date]:
    """The first and the last day a due date may be, counted from today."""
    now = today()
    return years_from(now, -DUE_YEARS_BACK), years_from(now, DUE_YEARS_AHEAD)


def _sensible_due_date(form, field) -> None:
    """Refuse a due date outside due_date_range, naming the range in the page's language (Buddhist Era in Thai)."""
    earliest, latest = due_date_range()
    if field.data is not None and not earliest <= field.data <= latest:
        raise ValidationError(_("Choose a due date from %(earliest)s to %(latest)s.",
                                earliest=format_date(earliest), latest=format_date(latest)))


class AssignForm(Form):
    """Modules (their database ids, as text) and one due date for all of them; the view sets the choices."""

    modules = CheckboxesField(_l("Modules to assign"), validators=[_offered], validate_choice=False)
    due_on = ThaiDayField(_l("Due date (optional)"), description=_l("Leave it empty for no due date."),
                      validators=[Optional(), _sensible_due_date], render_kw={"autocomplete": "off"})


class DueDateForm(Form):
    due_on = ThaiDayField(_l("Due date"), description=_l("Leave it empty for no due date."),
                      validators=[Optional(), _sensible_due_date], render_kw={"autocomplete": "off"})


class JoinForm(Form):
    code = code_field(_l("Class code"), description=_l("The code your teacher gave you, for example ACE-479."),
                      required_message=_l("Enter the class code."))

    def validate_code(self, field) -> None:
        if field.data and not codes.is_well_formed(field.data, JOIN_CODE_LENGTH):
            raise ValidationError(_l("A class code has 6 letters and digits, like ACE-479. Check it with your teacher."))
