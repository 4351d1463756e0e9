"""What every feature's forms share: one-time form tokens, and binding a form to the data it shows.

A form sent twice (a double click, a resend, Back and send again) carries the same token, so the
service can recognise the repeat and answer it with the first result.
"""

import re
import secrets

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField
from wtforms.validators import InputRequired, Regexp

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_token() -> str:
    return secrets.token_urlsafe(16)


class FormTokenField(HiddenField):
    """A hidden field holding a fresh token when the form is first shown, and the sent one after."""

    def __init__(self, **kwargs):
        # No messages: the field is hidden, and a bad token means a tampered form (the view answers 400).
        super().__init__(default=new_token, validators=[InputRequired(""), Regexp(TOKEN_PATTERN, message="")], **kwargs)


def bind(form_class, formdata=None):
    """A form filled with `formdata` (such as a draft kept across a language switch), else with the
    request's own data. (Flask-WTF reads formdata=None as "no data at all", so it is left out then.)"""
    return form_class(formdata=formdata) if formdata is not None else form_class()


class DayField(DateField):
    """A date (YYYY-MM-DD, as the browser's date picker sends it) whose error is in the page's language."""

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_l("Choose a date, for example 2026-11-25.")) from None
