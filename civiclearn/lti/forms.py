"""Forms of the LMS registration pages."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Length, Optional, ValidationError

from civiclearn.admin.forms import PlaceField
from civiclearn.forms import Form

ADDRESS_MESSAGE = _l("Type the whole address, starting with https://")
TOO_LONG = _l("This is too long.")


def address(label, required: bool = True, description=None) -> StringField:
    validators = [DataRequired(ADDRESS_MESSAGE) if required else Optional(), Length(max=500, message=TOO_LONG),
                  URL(require_tld=False, message=ADDRESS_MESSAGE)]
    return StringField(label, filters=[lambda value: value.strip() if isinstance(value, str) else value],
                       validators=validators, description=description)


def lines(value: str | None) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class PlatformForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Give the platform a name you will recognise.")),
                                               Length(max=200, message=TOO_LONG)],
                       description=_l("For example: Moodle of Ban Rim Tai School."))
    issuer = address(_l("Issuer (platform ID)"), description=_l("As the LMS shows it, e.g. https://moodle.example.ac.th"))
    client_id = StringField(_l("Client ID"), validators=[
        DataRequired(_l("Type the client ID the LMS gave CivicLearn.")), Length(max=255, message=TOO_LONG)])
    deployments = TextAreaField(_l("Deployment IDs"), description=_l("One per line."),
                                validators=[DataRequired(_l("Type at least one deployment ID."))])
    auth_login_url = address(_l("Authentication request URL (OIDC)"))
    auth_token_url = address(_l("Access token URL"))
    key_set_url = address(_l("Public keyset URL"))
    auth_audience = address(_l("Access token audience (optional)"), required=False,
                            description=_l("Only when the LMS says so; most leave it empty."))
    frame_origins = StringField(_l("Addresses that may show CivicLearn in a frame"),
                                validators=[Length(max=1000, message=TOO_LONG)],
                                description=_l("Separated by spaces; empty: the issuer's and login addresses."))

    def validate_deployments(self, field) -> None:
        if any(len(line) > 255 for line in lines(field.data)):
            raise ValidationError(TOO_LONG)

    def validate_frame_origins(self, field) -> None:
        for origin in (field.data or "").split():
            if not origin.startswith(("https://", "http://")) or origin.count("/") != 2:
                raise ValidationError(_l("Type addresses like https://school.example.ac.th, without a path."))

    def settings(self) -> dict:
        return {name: self[name].data for name in ("name", "issuer", "client_id", "auth_login_url",
                                                   "auth_token_url", "key_set_url", "auth_audience", "frame_origins")}


class NewPlatformForm(PlatformForm):
    school = PlaceField(_l("School whose classes its courses become"), _l("Choose a school."))


class ApproveForm(Form):
    school = PlaceField(_l("School whose classes its courses become"), _l("Choose a school."))


class ConfirmForm(Form):
    """A button that changes something (disable, rotate the key): only the CSRF token."""


def modules_of(courses: list) -> dict:
    """Every module served, by its "course/module" key."""
    return {f"{course.key}/{module.key}": module for course in courses for module in course.modules}


class ChooseModulesForm(Form):
    """The modules a teacher adds to their LMS course (one only when the LMS accepts one)."""

    module = SelectMultipleField(_l("Modules"), choices=[], validate_choice=False)

    def __init__(self, modules: dict, several: bool, **kwargs):
        super().__init__(**kwargs)
        self.modules = modules
        self.several = several

    def validate_module(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Choose at least one module."))
        if not self.several and len(field.data) > 1:
            raise ValidationError(_l("Your LMS takes one module at a time: choose one."))
        if any(key not in self.modules for key in field.data):
            raise ValidationError(_l("A module you chose is no longer offered. Choose again."))

    def chosen(self) -> list:
        return [self.modules[key] for key in dict.fromkeys(self.module.data)]
