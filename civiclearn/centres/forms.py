"""Forms of a centre's staff pages: a cohort, a learner registered by a trainer, a kiosk."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from civiclearn.accounts.forms import PIN_ATTRIBUTES, PIN_FILTERS, birth_year_field, gender_field, name_field
from civiclearn.forms import DayField, Form


class CohortForm(Form):
    name = StringField(_l("Cohort name"), description=_l("For example: Round 1/2570, or Tuesday mornings."),
                       validators=[DataRequired(_l("Enter a name.")), Length(max=100, message=_l("Use at most 100 characters."))])
    starts_on = DayField(_l("Starts on (optional)"), validators=[Optional()],
                          render_kw={"autocomplete": "off"})
    ends_on = DayField(_l("Ends on (optional)"), validators=[Optional()], render_kw={"autocomplete": "off"})

    def validate_ends_on(self, field) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end comes before the start."))


class AddLearnerForm(Form):
    display_name = name_field()
    birth_year = birth_year_field()
    gender = gender_field()
    cohort = SelectField(_l("Cohort"), coerce=int, validators=[DataRequired(_l("Choose a cohort."))])
    consent = BooleanField(
        _l("The learner (or, under 18, their parent or guardian) agreed to what CivicLearn keeps."),
        validators=[DataRequired(_l("Ask for agreement first: read out what we keep, shown above."))],
    )


class KioskForm(Form):
    name = StringField(_l("Name of this computer"), description=_l("So you can tell the kiosks apart, e.g. PC 3 by the window."),
                       validators=[DataRequired(_l("Enter a name.")), Length(max=100, message=_l("Use at most 100 characters."))])


class PickedNameSignInForm(Form):
    """On a kiosk that lists names: the learner picked theirs, now their PIN."""

    pin = PasswordField(_l("PIN"), filters=PIN_FILTERS, validators=[InputRequired(_l("Enter your PIN."))],
                        render_kw=PIN_ATTRIBUTES)
