"""Open Badges forms: the credential check (a credential pasted, or its file dropped); the issuer's profile."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Length, Optional, Regexp

from civiclearn.forms import Form

MAX_CHECKED = 200_000  # characters: far above any credential of ours (about 4,000)


class CheckForm(Form):
    credential = TextAreaField(_l("Paste the credential (the .jwt file's text, or the .json file's)"),
                               validators=[Optional(), Length(max=MAX_CHECKED, message=_l(
                                   "This is too long for a credential: paste one credential only."))])
    file = FileField(_l("Or choose its file"))

    def text(self) -> str:
        """The file's text when one was chosen, else what was pasted."""
        upload = self.file.data
        if upload and getattr(upload, "filename", ""):
            return upload.read(MAX_CHECKED + 1).decode("utf-8", "replace")
        return self.credential.data or ""


TOO_LONG = _l("This is too long.")


class IssuerForm(Form):
    """The programme as its credentials name it."""

    name_th = StringField(_l("Name in Thai"), validators=[DataRequired(_l("Type the programme's name in Thai.")),
                                                         Length(max=200, message=TOO_LONG)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(_l("Type the programme's name in English.")),
                                                            Length(max=200, message=TOO_LONG)])
    description_th = TextAreaField(_l("About the programme, in Thai (optional)"),
                                   validators=[Optional(), Length(max=1000, message=TOO_LONG)])
    description_en = TextAreaField(_l("About the programme, in English (optional)"),
                                   validators=[Optional(), Length(max=1000, message=TOO_LONG)])
    url = StringField(_l("Its web page (optional)"), filters=[lambda value: (value or "").strip()],
                      validators=[Optional(), Length(max=300, message=TOO_LONG),
                                  URL(require_tld=False, message=_l("Type the whole address, starting with https://"))])
    email = StringField(_l("Its contact email (optional)"), filters=[lambda value: (value or "").strip()],
                        validators=[Optional(), Length(max=200, message=TOO_LONG),
                                    Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Check the email address."))])


class LogoForm(Form):
    """The programme's logo, shown by wallets beside its credentials."""

    logo = FileField(_l("Logo (a PNG picture, square, 64 to 1,024 pixels a side, at most 256 KB)"),
                     validators=[FileRequired(_l("Choose the logo's file."))])


class ConfirmForm(Form):
    """A button that changes something (a new signing key): only the CSRF token."""
