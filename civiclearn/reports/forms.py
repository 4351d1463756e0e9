"""The form staff write a note about a learner with."""

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from civiclearn.forms import Form

NOTE_LENGTH = 2000


class NoteForm(Form):
    body = TextAreaField(
        _l("A note about this learner"),
        description=_l("What helped, what to try next time. The learner can read it on their data page."),
        validators=[DataRequired(_l("Write the note first.")),
                    Length(max=NOTE_LENGTH, message=_l("Use at most %(max)d characters.", max=NOTE_LENGTH))])
