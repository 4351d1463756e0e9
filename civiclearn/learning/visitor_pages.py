"""The public learning pages (welcome, catalogue, a course, a module, a guide) as visitors who are not signed in
see them: rendered once per process, language and course version, then served from memory.

Such a page is the same for every visitor but for one thing: the token of the language switch's form, which is
each visitor's own. It is rendered with a placeholder there (`csrf_token()` in the templates answers the
placeholder while the page is rendered for keeping), and each answer puts the visitor's own token in its place.
A page is kept only if nothing else in it came from the visitor's session: not for a signed-in person, a kiosk,
a page with a message to show or a query string, or a page whose rendering asked for a real token.
"""

import threading
from collections import OrderedDict
from functools import wraps

from flask import current_app, g, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from civiclearn.courses.store import catalogue
from civiclearn.i18n import language

PLACEHOLDER = "visitor-token-placeholder"
PAGES_KEPT = 256  # per process and kind: every public page of the shipped courses in both languages is about 200


class KeptPages:
    """One app's kept pages (or parts of pages), the least recently served dropped first."""

    def __init__(self) -> None:
        self.pages: OrderedDict[tuple, str] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple) -> str | None:
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def keep(self, key: tuple, page: str) -> None:
        with self.lock:
            self.pages[key] = page
            while len(self.pages) > PAGES_KEPT:
                self.pages.popitem(last=False)


def kept_pages(kind: str) -> KeptPages:
    """The app's kept pages of one kind, made on first use."""
    pages = current_app.extensions.get(kind)
    return pages if pages is not None else current_app.extensions.setdefault(kind, KeptPages())


def page_key() -> tuple:
    """What a kept page (or part) of the current address depends on: the page, where the app is mounted, the
    language and the course version."""
    return request.path, request.script_root, language(), catalogue().stamp


def kept_for_visitors(view):
    """Decorate a public view that returns a rendered page (a str)."""
    @wraps(view)
    def page(*args, **kwargs):
        key = _key()
        if key is None:
            return view(*args, **kwargs)
        pages = kept_pages("civiclearn.visitor_pages")
        kept = pages.get(key)
        if kept is None:
            g.visitor_page = True
            try:
                kept = view(*args, **kwargs)
            finally:
                g.pop("visitor_page", None)
            if not isinstance(kept, str):
                return view(*args, **kwargs)  # an answer of another kind: made again, for this visitor alone
            if "csrf_token" not in g:  # (Flask-WTF keeps a token it made for this request there)
                pages.keep(key, kept)
        return kept.replace(PLACEHOLDER, generate_csrf())
    return page


def placeholder_token() -> dict:
    """Context processor: the placeholder as `csrf_token()` while a page is rendered for keeping."""
    return {"csrf_token": lambda: PLACEHOLDER} if g.get("visitor_page") else {}


def _key() -> tuple | None:
    """What a kept page depends on, or None when this answer must be made for this visitor alone."""
    if (request.method != "GET" or request.query_string or current_user.is_authenticated
            or getattr(request, "kiosk", None) or "_flashes" in session):
        return None
    return page_key()
