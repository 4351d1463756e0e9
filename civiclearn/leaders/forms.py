"""The leader's forms: a session they ran, and a learner they mentor. Every message is translated and
shown next to its field; the rules that need the database (dates, centres, codes) are the services'."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from civiclearn import codes
from civiclearn.forms import DayField, Form
from civiclearn.leaders.practicum import MAX_ATTENDEES, TEXT_LENGTH

BUDDHIST_ERA_YEARS = 2400  # a year this large was typed in the Buddhist Era (2569 for 2026)


def _collapse(typed):
    return " ".join(typed.split()) if isinstance(typed, str) else typed


def _digits(typed):
    """Thai digits (๑๒) as digits: a kiosk's keyboard may be in Thai."""
    return codes.from_thai_keyboard(typed).strip() if isinstance(typed, str) else typed


def _offered(form, field) -> None:
    if field.data not in {value for value, _label in field.choices}:
        raise ValidationError(_l("Choose a centre where you are a learner."))


def centre_field() -> SelectField:
    # The choices are the centres where the leader learns, set by the view; the message is ours, in
    # the page's language, rather than WTForms' "Not a valid choice".
    return SelectField(_l("Centre"), coerce=int, validate_choice=False,
                       validators=[DataRequired(_l("Choose the centre.")), _offered])


class SessionForm(Form):
    held_on = DayField(_l("Date of the session"), validators=[InputRequired(_l("Choose the date of the session."))],
                       render_kw={"autocomplete": "off"})
    place = StringField(_l("Place"), description=_l("For example: the centre's training room, or the temple hall."),
                        filters=[_collapse],
                        validators=[DataRequired(_l("Write where the session was.")),
                                    Length(max=TEXT_LENGTH, message=_l("Use at most 200 characters."))])
    topic = StringField(_l("Topic"), description=_l("For example: Spot the scam (module 3)."), filters=[_collapse],
                        validators=[DataRequired(_l("Write what the session was about.")),
                                    Length(max=TEXT_LENGTH, message=_l("Use at most 200 characters."))])
    attendees = StringField(_l("How many people came"), filters=[_digits],
                            validators=[DataRequired(_l("Write how many people came."))],
                            render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 3})
    centre = centre_field()

    def validate_held_on(self, field) -> None:
        if field.data and field.data.year >= BUDDHIST_ERA_YEARS:
            raise ValidationError(_l("Use the Christian Era year: %(year)s, not %(typed)s.",
                                     year=field.data.year - 543, typed=field.data.year))

    def validate_attendees(self, field) -> None:
        if not field.data.isdigit() or not 1 <= int(field.data) <= MAX_ATTENDEES:
            raise ValidationError(_l("Write a number from 1 to %(most)s.", most=MAX_ATTENDEES))


class MenteeForm(Form):
    mentee_code = StringField(
        _l("Their learner code"),
        description=_l("It is on their learner card, like CAT-347. When they next sign in, they are asked "
                       "whether you helped them: you see their name and progress once they say yes."),
        validators=[DataRequired(_l("Write the learner code of the person you help."))],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "maxlength": 12})
    mentee_centre = centre_field()
