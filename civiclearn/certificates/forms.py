"""The staff form to revoke a certificate."""

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from civiclearn.forms import Form


class RevokeForm(Form):
    reason = TextAreaField(
        _l("Why it is revoked"),
        description=_l("Shown on the certificate's verification page, for anyone who checks it. Do not write "
                       "anything private."),
        filters=[lambda typed: " ".join(typed.split()) if isinstance(typed, str) else typed],
        validators=[DataRequired(_l("Write why the certificate is revoked.")),
                    Length(max=300, message=_l("Use at most 300 characters."))],
    )
