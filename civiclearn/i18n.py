"""Language: Thai by default, English on request; the in-place language switch; Buddhist Era dates.

The switch is a POST that can carry the page's own form: typed answers come back after the
switch (never PINs or passwords), so changing language never loses work, with or without JavaScript.
With JavaScript it also names the part of the page being read (static/js/language-switch.js), and
the page comes back scrolled to that part.
"""

import re
from datetime import date, datetime
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import get_month_names
from flask import Blueprint, Flask, abort, current_app, redirect, request, session, url_for
from flask_babel import get_locale, get_translations, to_user_timezone
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from civiclearn.extensions import babel, db

bp = Blueprint("i18n", __name__)

BUDDHIST_ERA_OFFSET = 543
# A year typed from here on is in the Buddhist Era: 2400 BE is 1857 CE, and no date we keep is in 2400 CE.
BUDDHIST_ERA_FROM = 2400
DRAFT_KEY = "form_draft"
ANCHOR_FIELD = "anchor"  # the id of the part of the page being read, sent by the switch's script
NEVER_KEPT = ("csrf_token", "lang", "pin", "password", ANCHOR_FIELD)  # field names (or prefixes) not carried over
ANCHOR = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")  # an id we give (section-3, practice-title), nothing else


LANGUAGE_NAMES = {"th": "ไทย", "en": "English"}  # each in its own language, as the switch shows them
DRAFT_VALUE_LIMIT = 500  # characters per field, and
DRAFT_LIMIT = 2000  # in all: the draft travels in the session cookie, which browsers cap at 4 KB


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(app.config["TRANSLATIONS_DIR"]))
    babel.init_app(app, locale_selector=lambda: parsed_locale(select_language()))
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["local"] = lambda text: text.in_language(language()) if text else ""
    app.context_processor(lambda: {
        "language": language(),
        "languages": [(code, LANGUAGE_NAMES[code]) for code in app.config["LANGUAGES"]],
        "switch_url": url_for("i18n.switch", next=return_path()),
        **template_translations(get_translations()),
    })


def template_translations(translations) -> dict:
    """gettext and ngettext for one template render, bound to the catalogue of the language it is rendered in, with
    what Jinja's "newstyle" gettext does (autoescaping, % always applied). Flask-Babel's own look the catalogue up
    afresh through the request context on every call, and a page makes twenty or more (a lesson page's render:
    1.04 ms with theirs, 0.9 ms with these). Macros imported without context keep Flask-Babel's, which say the same."""

    @pass_context
    def gettext(context, string: str, **variables):
        text = translations.gettext(string)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables

    @pass_context
    def ngettext(context, singular: str, plural: str, number: int, **variables):
        variables.setdefault("num", number)
        text = translations.ngettext(singular, plural, number)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables

    return {"gettext": gettext, "ngettext": ngettext}


def return_path() -> str:
    """Where the language switch comes back to: this page, unless it answers a POST-only address."""
    rule = request.url_rule
    if request.method == "GET" or (rule is not None and "GET" in rule.methods):
        return request.full_path.rstrip("?")
    return url_for("learning.home")


def select_language() -> str:
    """The session's choice, else the signed-in person's saved choice, else Thai."""
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    saved = getattr(current_user, "locale", None) if current_user else None
    return saved if saved in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


@lru_cache(maxsize=None)
def parsed_locale(code: str) -> Locale:
    """The Babel locale of a language code, parsed once per process: Flask-Babel parses the code its locale
    selector returns on every request (a tenth of a public page's time), and returns a Locale as it is."""
    return Locale.parse(code)


def language() -> str:
    """The language of the current request, as a code ("th" or "en")."""
    return str(get_locale())


def thai_date(value: date, length: str = "medium") -> str:
    """A date as Thai readers write it, in the Buddhist Era: 25 พ.ย. 2569 (medium), 25 พฤศจิกายน 2569 (long).

    Babel formats Thai dates with Gregorian years, so the year is ours to write.
    """
    width = "wide" if length == "long" else "abbreviated"
    month = get_month_names(width, locale="th")[value.month]
    return f"{value.day} {month} {value.year + BUDDHIST_ERA_OFFSET}"


def christian_year(year: int) -> int:
    """A year as typed in the Buddhist Era (2569) or the Christian Era (2026), in the Christian Era (2026)."""
    return year - BUDDHIST_ERA_OFFSET if year >= BUDDHIST_ERA_FROM else year


def format_date(value: date | datetime | None, length: str = "medium") -> str:
    """A date in the current language; a datetime is first shown in the user's time zone."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_user_timezone(value).date()
    return written_date(value, language(), length)


@lru_cache(maxsize=4096)
def written_date(value: date, locale: str, length: str) -> str:
    """A date as the language `locale` writes it. Kept once made: an export of 100,000 moments has a few hundred
    days."""
    if locale == "th":
        return thai_date(value, length)
    return babel_format_date(value, length, locale=locale)


def format_datetime(value: datetime | None) -> str:
    """Date and time in the current language, in the user's time zone: 25 พ.ย. 2569 14:05."""
    if value is None:
        return ""
    local = to_user_timezone(value)
    return f"{format_date(local.date())} {local:%H:%M}"


def safe_next(target: str | None, fallback: str = "/") -> str:
    """`target` if it is a path on this site, else `fallback` (no open redirects)."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    return target.rstrip("?") or fallback


def _kept(name: str) -> bool:
    return not any(name.startswith(prefix) for prefix in NEVER_KEPT)


@bp.post("/language")
def switch():
    """Change language and go back to the same page, with what the person had typed."""
    chosen = request.form.get("lang")
    if chosen not in current_app.config["LANGUAGES"]:
        abort(400)
    session["lang"] = chosen
    if current_user.is_authenticated:
        current_user.locale = chosen
        db.session.commit()
    target = safe_next(request.args.get("next"))
    fields = [[name, value[:DRAFT_VALUE_LIMIT]] for name, value in request.form.items(multi=True) if _kept(name)]
    if fields and sum(len(name) + len(value) for name, value in fields) <= DRAFT_LIMIT:
        session[DRAFT_KEY] = {"path": urlsplit(target).path, "fields": fields}
    else:
        session.pop(DRAFT_KEY, None)
    return redirect(_with_anchor(target, request.form.get(ANCHOR_FIELD, "")), code=303)


def _with_anchor(target: str, anchor: str) -> str:
    """`target` scrolled to the element with id `anchor`, if that is a plain id; else `target` as it is."""
    if not ANCHOR.fullmatch(anchor):
        return target
    return urlunsplit(urlsplit(target)._replace(fragment=anchor))


def take_draft() -> MultiDict | None:
    """The form data a language switch carried back to this page, once."""
    draft = session.get(DRAFT_KEY)
    if not draft or draft.get("path") != request.path:
        return None
    session.pop(DRAFT_KEY)
    return MultiDict([tuple(field) for field in draft["fields"]])
