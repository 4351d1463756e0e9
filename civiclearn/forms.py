"""What every feature's forms share: the base form that refuses invisible characters, one-time form
tokens, binding a form to the data it shows, reading ids from the query string, fields for codes and dates, and
the confirm step before an action that cannot be undone.

A form sent twice (a double click, a resend, Back and send again) carries the same token, so the
service can recognise the repeat and answer it with the first result.
"""

import re
import secrets
from datetime import date

from flask import render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage
from wtforms import DateField, HiddenField, StringField, TextAreaField
from wtforms.validators import InputRequired, Regexp, StopValidation

from civiclearn import codes
from civiclearn.database import MAX_ID
from civiclearn.i18n import christian_year, return_path

# Control characters (NUL, escape...), DEL and lone surrogates: nobody types them, PostgreSQL refuses NUL
# in text, and the rest would hide in names printed on certificates. A text area keeps tab and line breaks.
UNUSUAL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
UNUSUAL_IN_TEXT_AREA = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
UNUSUAL_CHARACTERS_MESSAGE = _l("Remove the unusual characters (such as invisible control characters) and try again.")
ID_PATTERN = re.compile(r"[0-9]{1,10}")
# Day/month/year as Thai people write a date (31/12/2569, 31-12-2569, 31.12.2569), or year-month-day as the
# browser's date picker sends it (2026-12-31; 2569-12-31 when the year was typed in the Buddhist Era).
DAY_MONTH_YEAR = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")
YEAR_MONTH_DAY = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


def plain_text(form, field) -> None:
    """Refuse a field whose typed value (or uploaded file's name) holds unusual characters, before any other
    check reads it."""
    pattern = UNUSUAL_IN_TEXT_AREA if isinstance(field, TextAreaField) else UNUSUAL_CHARACTERS
    sent = [typed.filename if isinstance(typed, FileStorage) else typed for typed in field.raw_data or ()]
    if any(isinstance(typed, str) and pattern.search(typed) for typed in sent):
        raise StopValidation(UNUSUAL_CHARACTERS_MESSAGE)


class Form(FlaskForm):
    """The base of every form of the app: each field, whatever its kind, first refuses unusual characters
    with a message in the page's language, so they never reach a service or the database."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            field = super().bind_field(form, unbound_field, options)
            field.validators = [plain_text, *field.validators]
            return field


def query_id(name: str) -> int | None:
    """The row id (or page number) `?name=` holds, or None when it is missing or could be no row's: not a
    whole number, 0, or larger than any id column holds. Callers show their default view, or 404."""
    typed = request.args.get(name, "")
    return int(typed) if ID_PATTERN.fullmatch(typed) and 0 < int(typed) <= MAX_ID else None


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


def code_field(label, *, description, required_message) -> StringField:
    """A code people read off a card or a board and type, kept as civiclearn.codes stores it (whatever the case,
    spaces, dashes or keyboard layout it was typed in)."""
    return StringField(
        label,
        description=description,
        filters=[lambda value: codes.normalise(value) if isinstance(value, str) else value],
        validators=[InputRequired(required_message)],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )


class DayField(DateField):
    """A date (YYYY-MM-DD, as the browser's date picker sends it) whose error is in the page's language."""

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_l("Choose a date, for example 2026-11-25.")) from None


def typed_day(typed: str) -> date | None:
    """The day in `typed` (see DAY_MONTH_YEAR), its year in the Buddhist or the Christian Era, in Thai or Arabic
    digits, spaces anywhere; None if it names no day. A two-digit year is refused: 69 could be 2569 or 2069."""
    text = "".join(codes.from_thai_keyboard(typed).split())
    if found := DAY_MONTH_YEAR.fullmatch(text):
        day, month, year = (int(part) for part in found.groups())
    elif found := YEAR_MONTH_DAY.fullmatch(text):
        year, month, day = (int(part) for part in found.groups())
    else:
        return None
    try:
        return date(christian_year(year), month, day)
    except ValueError:  # 31/02, month 13, year 0
        return None


class ThaiDayField(DayField):
    """A date picked in the browser's date picker, or typed as Thai people write it (typed_day: 31/12/2569), kept
    in the Christian Era.

    It stays an <input type=date>: phones show their own calendar (in the Buddhist Era where the phone is set
    to it), and every browser sends the picked day as 2026-12-31. A year typed into the picker as 2569 arrives
    as 2569-12-31, and a browser without a picker sends the text as typed: both are read here. (DayField keeps
    a Buddhist Era year as it is, for forms that refuse it with their own message.)"""

    def process_formdata(self, valuelist) -> None:
        if not valuelist:
            return
        self.data = typed_day(" ".join(valuelist))
        if self.data is None:
            raise ValueError(_l("Choose a date, or type it as day/month/year, for example 25/11/2026."))


def confirmed() -> bool:
    """Whether this POST is the "Yes" of a confirm page (ask_first), so the action may go ahead."""
    return request.form.get("confirmed") == "yes"


def ask_first(question: str, consequence: str, *, yes: str, back: str, carry: dict[str, str] | None = None):
    """The confirm step of an action that cannot be undone, without JavaScript: a page (200) that asks `question`,
    says in plain words what will happen (`consequence`), and offers `yes`, a button that posts the same fields
    (`carry`) to the same address with confirmed=yes and a CSRF token, or "No, go back", a link to `back`.

    A view answers it whenever `confirmed()` is false, after loading and checking what the action is about, so
    only the confirmed POST acts; an old or crafted form that skips the page only gets the question."""
    # The language switch cannot come back to a POST-only address: it returns to where the action was started.
    rule = request.url_rule
    comes_back = return_path() if rule is not None and "GET" in rule.methods else back
    return render_template("confirm.html", question=question, consequence=consequence, yes=yes, back=back,
                           action=request.path, carry=carry or {}, switch_url=url_for("i18n.switch", next=comes_back))
