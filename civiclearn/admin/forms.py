"""Forms of the admin pages: a centre, a school, and the roles a staff member can be given."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from civiclearn.centres.models import DEFAULT_IDLE_MINUTES
from civiclearn.forms import Form

IDLE_MINUTES_RANGE = (1, 60)
TOO_LONG = {100: _l("Use at most 100 characters."), 120: _l("Use at most 120 characters."),
            200: _l("Use at most 200 characters.")}  # by column length


def _tidy(value: str | None) -> str | None:
    return " ".join(value.split()) if isinstance(value, str) else value


def text(label, required: str | None, max_length: int, **kwargs) -> StringField:
    """A one-line text field, spaces tidied; `required` is the message when it is left empty (None: optional)."""
    validators = [DataRequired(required) if required else Optional(),
                  Length(max=max_length, message=TOO_LONG[max_length])]
    return StringField(label, filters=[_tidy], validators=validators, **kwargs)


class MinutesField(IntegerField):
    """Whole minutes; anything else becomes None, which NumberRange answers with its translated message
    (IntegerField's own message is not translated)."""

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None


class PlaceField(SelectField):
    """A centre or school picked from those offered (the first offer, "", asks to choose), with a
    translated message (WTForms' own are not)."""

    def __init__(self, label, message, **kwargs):
        super().__init__(label, coerce=lambda value: int(value) if value not in ("", None) else None, **kwargs)
        self.message = message

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None

    def pre_validate(self, form) -> None:
        if self.data not in {value for value, _label in self.choices}:
            raise ValidationError(self.message)


SIGNATORY_FIELDS = ("signatory_name", "signatory_title_th", "signatory_title_en")


class PlaceForm(Form):
    """What centres and schools both have: names in Thai and English, and where they are."""

    name_th = text(_l("Name in Thai"), _l("Enter the name in Thai."), 200)
    name_en = text(_l("Name in English"), _l("Enter the name in English."), 200)
    province = text(_l("Province"), _l("Enter the province."), 100)
    district = text(_l("District (amphoe or khet)"), _l("Enter the district."), 100)
    signatory_name = text(_l("Who signs its certificates (optional)"), None, 120,
                          description=_l("The name printed under the signature line, for example Mr Prasert Rakthin."))
    signatory_title_th = text(_l("Their title in Thai"), None, 120, description=_l("For example นายกเทศมนตรีตำบลริมใต้."))
    signatory_title_en = text(_l("Their title in English"), None, 120,
                              description=_l("For example Mayor of Rim Tai Subdistrict Municipality."))

    def validate(self, extra_validators=None) -> bool:
        """A signatory's title needs their name (an empty optional field runs no validator of its own)."""
        valid = super().validate(extra_validators)
        if not self.signatory_name.data and (self.signatory_title_th.data or self.signatory_title_en.data):
            self.signatory_name.errors.append(_l("Enter the name of the person with this title too."))
            return False
        return valid

    def fields(self) -> dict:
        """The model's columns, as typed."""
        fields = {name: value for name, value in self.data.items() if name != "csrf_token"}
        return fields | {name: fields[name] or "" for name in SIGNATORY_FIELDS}  # optional: kept as ""


class CentreForm(PlaceForm):
    subdistrict = text(_l("Subdistrict (tambon)"), _l("Enter the subdistrict."), 100)
    lgo_name = text(_l("Local government it serves"), _l("Enter the local government."), 200,
                    description=_l("For example: Rim Tai Subdistrict Municipality."))
    idle_minutes = MinutesField(
        _l("Kiosk idle time (minutes)"), default=DEFAULT_IDLE_MINUTES,
        description=_l("A kiosk warns, then signs a learner out, after this many minutes without use: 1 to 60."),
        validators=[NumberRange(*IDLE_MINUTES_RANGE, message=_l("Enter a number of minutes from 1 to 60."))],
        render_kw={"inputmode": "numeric"})
    sign_in_by_name = BooleanField(_l("On kiosks, learners may pick their name from their cohort's list "
                                      "instead of typing their learner code"))


class SchoolForm(PlaceForm):
    """A school has no more than what every place has."""


class TrainerRoleForm(Form):
    centre = PlaceField(_l("Trainer at the centre"), _l("Choose a centre."))

    def scope(self) -> dict:
        return {"centre_id": self.centre.data}


class TeacherRoleForm(Form):
    school = PlaceField(_l("Teacher at the school"), _l("Choose a school."))

    def scope(self) -> dict:
        return {"school_id": self.school.data}


class AdminRoleForm(Form):
    province = text(_l("Province"), None, 100, description=_l("Leave empty for an admin of everything."))
    district = text(_l("District (optional)"), None, 100,
                    description=_l("Leave empty for an admin of the whole province."))

    def validate_district(self, field) -> None:
        if field.data and not self.province.data:
            raise ValidationError(_l("Enter the province of this district too."))

    def scope(self) -> dict:
        return {"province": self.province.data or None, "district": self.district.data or None}


ROLE_FORMS = {"trainer": TrainerRoleForm, "teacher": TeacherRoleForm, "admin": AdminRoleForm}
