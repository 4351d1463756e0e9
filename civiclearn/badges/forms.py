"""The credential check's form: a credential pasted, or its file dropped."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from civiclearn.forms import Form

MAX_CHECKED = 200_000  # characters: far above any credential of ours (about 4,000)


class CheckForm(Form):
    credential = TextAreaField(_l("Paste the credential (the .jwt file's text, or the .json file's)"),
                               validators=[Optional(), Length(max=MAX_CHECKED)])
    file = FileField(_l("Or choose its file"))

    def text(self) -> str:
        """The file's text when one was chosen, else what was pasted."""
        upload = self.file.data
        if upload and getattr(upload, "filename", ""):
            return upload.read(MAX_CHECKED + 1).decode("utf-8", "replace")
        return self.credential.data or ""
