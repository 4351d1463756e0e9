"""Odd input never gives a server error: every route of the app (at the access matrix's addresses) with odd
values in each part of its path, in each query-string name it reads and in each field of its forms, on both
databases. Every 5xx is collected and reported at once, with the person, the route and what was odd.

Who sends what: the access matrix already tries every good address as every kind of visitor, so here each
route's odd values are sent by the person it is for (the learner, the kiosk, the teacher, the trainer, the
admin: the first the route neither refuses nor sends to sign in), who gets furthest into it; an anonymous
visitor sends the odd query values too, since being sent to sign in carries the address along.

What is sent: ids beyond any column, negative, text, NUL, broken UTF-8, "../" and long or unusual text in the
path; the query names the route's view reads (found in the source, itself and what it calls, so a new name
is tried as soon as it is written); each form field on its own, with good values in the others so that an
odd value that passes the form's checks reaches the service and the database, and the unusual characters
in all fields at once. Forms are read off the pages as a browser would fill them in.

Each request goes from a fresh copy of the person's browser, so a form that signs somebody in or makes a
kiosk changes only the copy; the forms that end sessions, take roles away or delete come last.
"""

import ast
import inspect
import io
import re
import sys
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pytest
from sqlalchemy import select
from werkzeug.exceptions import NotFound
from wtforms.form import BaseForm

from civiclearn.centres.kiosk import COOKIE as KIOSK_COOKIE
from civiclearn.centres.models import Centre, Cohort
from civiclearn.config import Config
from civiclearn.extensions import db
from civiclearn.forms import Form
from civiclearn.leaders import services as leaders
from civiclearn.reports.models import LearnerNote
from tests.helpers import csrf_token, record_finished, submit, visible_text
from tests.test_access_matrix import MATRIX

# Each route's odd values are sent by the first of these it neither refuses nor sends to sign in: the person
# it is for, who gets furthest into it.
PERSONS = ("learner", "kiosk", "teacher", "trainer", "admin", "anonymous")

# In the path, as they appear in an address (percent-encoded where a browser would encode them).
ID_VALUES = ["2147483648", str(2**63), str(10**30), "9" * 5000, "-1", "0", "abc", "%00"]
KEY_VALUES = ["%00", "%01%1B%7F", "x" * 10_000, quote("ไทย😀\u202e"), "..%2F..%2Fetc%2Fpasswd", "../../etc/passwd",
              "%FF", "%ED%A0%80", "2147483648"]
# In the query string and in form fields, as typed (a lone surrogate is sent as the bytes a broken client sends).
QUERY_VALUES = ["2147483648", str(2**63), "-1", "abc", "\x00\x1b", "😀\u202e" * 2500]
UNUSUAL = ["\x00", "\x01\x1b\x7f\t", "\ud800"]  # refused by every field: sent in all fields at once too
ODD = {
    "text": ["a\x00b", "x" * 10_000, "😀\u202eทดสอบ\u200f", " \t ", "99999999999999999999", "-1"],
    "date": ["2026-03-02\x00", "0000-00-00", "99999-12-31", "0001-01-01", "9999-12-31", "2026-02-30"],
    "choice": ["\x00", "99999999999999999999", "-1", "😀"],
    "file": [(b"name,cohort\n\xe0\xb8\xaa\x00x,\x01\n", "roster.csv"), (b"name\nA\n", "ro\x00ster.csv"),
             (b"name\nA\n", "x" * 10_000 + ".csv"), (b"name\nA\n", "../../etc/passwd.csv"),
             (b"PK\x03\x04" + b"\xff" * 100, "roster.xlsx"), (b"\xff\xfe\x00\xd8", "roster.csv"), (b"", "roster.csv")],
}
# Values that pass the forms' checks, so that the one odd field is what reaches the service. The learner
# code, login and current password match nobody: the crawl must not sign anybody in.
GOOD_BY_NAME = {"pin": "4826", "pin_confirm": "4826", "code": "KEM-347", "login": "nobody", "current": "not it",
                "password": "rice field morning bicycle", "password_confirm": "rice field morning bicycle",
                "birth_year": "2510", "attendees": "8", "username": "new.staff", "email": "new@example.org"}
GOOD_BY_KIND = {"date": "2026-03-02", "text": "ทดสอบ", "file": ("name\nสมศรี\n".encode(), "roster.csv")}

# Forms that end sessions, take roles away or delete: crawled last, in this order.
DISRUPTIVE = ["/assignments/<int:assignment_id>/remove", "/learners/<int:learner_id>/delete",
              "/centres/<int:centre_id>/kiosks/<int:kiosk_id>/retire",
              "/admin/staff/<int:person_id>/roles/<int:assignment_id>/revoke", "/learners/<int:learner_id>/pin",
              "/centres/<int:centre_id>/kiosk", "/me/actions/<int:action_id>/delete", "/me/delete", "/sign-out"]
ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")  # <converter(options):name>
READ_ANY_NAME = {("civiclearn.forms", "query_id"), ("civiclearn.errors", "refuse_unusual_addresses")}


# The query names each view reads, from the source: request.args.get("name"), "name" in request.args and
# query_id("name"), followed through the functions the view calls (its module's, or imported ones).

@dataclass
class Function:
    names: set[str] = field(default_factory=set)
    calls: set[tuple[str, str]] = field(default_factory=set)


def query_name(node: ast.AST) -> str | None:
    """The name read from the query string at `node`, if it reads one there ("?" if it is not written out)."""
    if isinstance(node, ast.Call) and ast.unparse(node.func) in ("request.args.get", "query_id"):
        name = node.args[0]
    elif isinstance(node, ast.Compare) and ast.unparse(node.comparators[0]) == "request.args":
        name = node.left
    else:
        return None
    return name.value if isinstance(name, ast.Constant) else "?"


def unread_mentions(module_name: str) -> list[str]:
    """Mentions of the query string in a module that query_name does not understand (so the crawl would not
    try their names), but in the two functions that read any name: the helper, and the check of every value."""
    understood = set()
    for node in ast.walk(tree := source(module_name)):
        if query_name(node) not in (None, "?"):
            understood |= {id(part) for part in ast.walk(node)}
        if isinstance(node, ast.FunctionDef) and (module_name, node.name) in READ_ANY_NAME:
            understood |= {id(part) for part in ast.walk(node)}
    return [ast.unparse(node) for node in ast.walk(tree) if id(node) not in understood and (
        (isinstance(node, ast.Attribute) and ast.unparse(node) in ("request.args", "request.values"))
        or (isinstance(node, ast.Name) and node.id == "query_id"))]


def callee(module, node: ast.AST) -> tuple[str, str] | None:
    """The civiclearn function a call names: one of the module's, one imported into it, or module.function."""
    if isinstance(node, ast.Name):
        target = vars(module).get(node.id)
    elif isinstance(node, ast.Attribute) and inspect.ismodule(vars(module).get(getattr(node.value, "id", None))):
        target = getattr(vars(module)[node.value.id], node.attr, None)
    else:
        return None
    if not inspect.isfunction(target) or not target.__module__.startswith("civiclearn"):
        return None
    target = inspect.unwrap(target)
    return target.__module__, target.__name__


@cache
def functions_of(module_name: str) -> dict[str, Function]:
    """Each top-level function of a module: the query names it reads and the civiclearn functions it calls."""
    module = sys.modules[module_name]
    found = {}
    for node in source(module_name).body:
        if isinstance(node, ast.FunctionDef) and (module_name, node.name) not in READ_ANY_NAME:
            function = found[node.name] = Function()
            for inner in ast.walk(node):
                if (name := query_name(inner)) is not None:
                    function.names.add(name)
                if isinstance(inner, ast.Call) and (target := callee(module, inner.func)):
                    function.calls.add(target)
    return found


def reached_from(view) -> set[tuple[str, str]]:
    """The functions a view runs (itself and what it calls), as (module, name)."""
    view = inspect.unwrap(view)
    reached, waiting = set(), [(view.__module__, view.__name__)]
    while waiting:
        key = waiting.pop()
        if key not in reached and key[1] in functions_of(key[0]):
            reached.add(key)
            waiting.extend(functions_of(key[0])[key[1]].calls)
    return reached


def names_read(view) -> set[str]:
    return {name for module, function in reached_from(view) for name in functions_of(module)[function].names}


def source(module_name: str) -> ast.Module:
    return ast.parse(Path(sys.modules[module_name].__file__).read_text())


def app_modules() -> list[str]:
    return sorted(name for name, module in list(sys.modules.items())
                  if name.startswith("civiclearn") and str(getattr(module, "__file__", "")).endswith(".py"))


def test_the_crawl_tries_every_query_name_the_app_reads(app):
    """Every read of the query string is one the crawl understands, in a function some route runs."""
    unclear = {name: unread_mentions(name) for name in app_modules()}
    assert {name: found for name, found in unclear.items() if found} == {}
    reading = {(module, name) for module in app_modules() for name, function in functions_of(module).items()
               if function.names}
    reached = set().union(*(reached_from(view) for view in app.view_functions.values()))
    assert sorted(reading - reached) == []


def form_bases(node: ast.AST) -> list[ast.expr]:
    """The base classes a class statement, or a class made on the fly with type(name, bases, fields), names."""
    if isinstance(node, ast.ClassDef):
        return node.bases
    if isinstance(node, ast.Call) and ast.unparse(node.func) == "type" and len(node.args) == 3:
        return getattr(node.args[1], "elts", [])
    return []


def named(module_name: str, node: ast.expr) -> object:
    """What a name (or module.name) in a module stands for, if the module holds it."""
    first, *rest = ast.unparse(node).split(".")
    found = vars(sys.modules[module_name]).get(first)
    for part in rest:
        found = getattr(found, part, None)
    return found


def test_every_form_refuses_unusual_characters(app):
    """Every form of the app is a civiclearn.forms.Form, whose fields refuse unusual characters before their own
    checks; one built on FlaskForm (or WTForms' own forms) directly, as a class or on the fly, would not."""
    direct = [f"{module}:{node.lineno}" for module in app_modules() if module != "civiclearn.forms"
              for node in ast.walk(source(module)) for base in form_bases(node)
              if isinstance(found := named(module, base), type) and issubclass(found, BaseForm)
              and not issubclass(found, Form)]
    assert direct == []


# The forms on the pages, as a browser would fill them in.

@dataclass
class Field:
    kind: str  # text, date, choice, file: which odd values it gets
    value: object  # what a person would send


class _Forms(HTMLParser):
    """The POST forms of a page: action (its path) and fields, each with the value a person would send: the
    page's own (a chosen option, a filled-in field, a hidden token), else a good one."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, Field]]] = []
        self._fields: dict[str, Field] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._fields = {} if attrs.get("method", "get").lower() == "post" else None
            if self._fields is not None:
                self.forms.append((urlsplit(attrs.get("action") or "").path, self._fields))
        elif self._fields is None:
            return
        elif tag == "option" and self._select:
            self._choose(self._select, attrs.get("value", ""), "selected" in attrs)
        elif (name := attrs.get("name")) and not name.endswith("csrf_token"):
            kind = "select" if tag == "select" else attrs.get("type", "submit" if tag == "button" else tag)
            if tag == "select":
                self._select = name
            if kind in ("select", "radio", "checkbox", "submit"):
                self._choose(name, attrs.get("value", "" if tag == "select" else "y"), "checked" in attrs)
            elif kind in ("date", "file"):
                self._fields[name] = Field(kind, GOOD_BY_KIND[kind])
            else:  # text, textarea, password, hidden...
                good = attrs.get("value") or GOOD_BY_NAME.get(name.rpartition("-")[2], GOOD_BY_KIND["text"])
                self._fields[name] = Field("text", good)

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = None
        elif tag == "select":
            self._select = None

    def _choose(self, name: str, value: str, chosen: bool) -> None:
        """The chosen option, else the first that is not empty."""
        found = self._fields.setdefault(name, Field("choice", ""))
        if chosen or not found.value:
            found.value = value


def forms_on(html: str) -> list[tuple[str, dict[str, Field]]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


# The crawl

@dataclass
class Route:
    method: str
    rule: str
    endpoint: str
    arguments: dict  # the path's values, for the world's objects

    def url(self, odd: dict[str, str] | None = None) -> str:
        """The address, with odd values (as they appear in an address) in place of the good ones."""
        odd = odd or {}
        return ARGUMENT.sub(lambda match: odd.get(match[2]) or quote(str(self.arguments[match[2]]), safe="/"),
                            self.rule)


def routes_of(app, ids: dict) -> list[Route]:
    """Every route once, at the first of the access matrix's addresses for it; disruptive forms last."""
    adapter = app.url_map.bind("localhost")
    found = {}
    for method, address, _expected in MATRIX:
        try:
            rule, arguments = adapter.match(address.format(**ids).split("?")[0], method, return_rule=True)
        except NotFound:  # an address that must not be found (an impossible id)
            continue
        found.setdefault((method, rule.rule), Route(method, rule.rule, rule.endpoint, arguments))
    for rule in app.url_map.iter_rules():  # not in the matrix yet (test_access_matrix says so), if it can be
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if not rule.arguments:
                found.setdefault((method, rule.rule), Route(method, rule.rule, rule.endpoint, {}))
    last = {rule: place for place, rule in enumerate(DISRUPTIVE)}
    return sorted(found.values(), key=lambda route: last.get(route.rule, -1) if route.method == "POST" else -1)


class Crawl:
    """Requests as each person, each from a fresh copy of their browser; every 5xx is kept with its cause."""

    def __init__(self, app, browsers: dict):
        self.app, self.failures = app, []
        self.forms: dict[str, dict[frozenset, dict[str, Field]]] = {}  # by action, then by their fields' names
        names = (app.config["SESSION_COOKIE_NAME"], KIOSK_COOKIE)
        self.tokens = {person: csrf_token(browser.get("/courses").get_data(as_text=True))
                       for person, browser in browsers.items()}
        self.cookies = {person: {name: cookie.value for name in names if (cookie := browser.get_cookie(name))}
                        for person, browser in browsers.items()}

    def route(self, route: Route) -> None:
        """The route's own person sends its address, then every odd value; an anonymous visitor the odd query
        values too (being sent to sign in carries them along)."""
        own = next((person for person in PERSONS if self.send(person, route, route.url()) not in (302, 404)),
                   "anonymous")
        self.path(own, route)
        for person in dict.fromkeys([own, "anonymous"]):
            self.query(person, route)
        if route.method == "POST":
            self.fields(own, route)

    def path(self, person: str, route: Route) -> None:
        for converter, name in ARGUMENT.findall(route.rule):
            for value in ID_VALUES if converter == "int" else KEY_VALUES:
                self.send(person, route, route.url({name: value}), what=f"path {name}={value!r:.60}")

    def query(self, person: str, route: Route) -> None:
        names = sorted(names_read(self.app.view_functions[route.endpoint]))
        for value in QUERY_VALUES if names else ():
            query = urlencode(dict.fromkeys(names, value), encoding="utf-8")
            self.send(person, route, f"{route.url()}?{query}", what=f"query {','.join(names)}={value!r:.60}")

    def fields(self, person: str, route: Route) -> None:
        """Each form posting here: the unusual characters in every field at once, then each field's odd values
        on its own."""
        url = route.url()
        for fields in self.forms.get(urlsplit(url).path, {}).values():
            good = {name: found.value for name, found in fields.items()}
            for value in UNUSUAL:
                sent = {name: good[name] if found.kind == "file" else value for name, found in fields.items()}
                self.send(person, route, url, sent, what=f"every field={value!r}")
            for name, found in fields.items():
                for value in ODD[found.kind]:
                    self.send(person, route, url, good | {name: value}, what=f"field {name}={value!r:.60}")

    def send(self, person: str, route: Route, url: str, fields: dict | None = None, what: str = "") -> int:
        """The status of one request; the forms of a good page are kept for the crawl of their actions."""
        browser = self.app.test_client()
        for name, value in self.cookies[person].items():
            browser.set_cookie(name, value)
        if route.method == "GET":
            response = browser.get(url)
        else:
            response = browser.post(url, **self.body({"csrf_token": self.tokens[person], **(fields or {})}))
        with response:
            if response.status_code >= 500:
                self.failures.append(f"{person}: {route.method} {url[:150]} {what} -> {response.status_code}")
            if not what and response.status_code == 200 and response.mimetype == "text/html":
                for action, fields_found in forms_on(response.get_data(as_text=True)):
                    self.forms.setdefault(action, {}).setdefault(frozenset(fields_found), fields_found)
            return response.status_code

    @staticmethod
    def body(fields: dict) -> dict:
        """A form's body as a browser encodes it (multipart with a file); a lone surrogate as its raw bytes."""
        if not any(isinstance(value, tuple) for value in fields.values()):
            return {"data": urlencode(fields, encoding="utf-8", errors="surrogatepass"),
                    "content_type": "application/x-www-form-urlencoded"}
        return {"data": {name: (io.BytesIO(value[0]), value[1]) if isinstance(value, tuple)
                         else value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
                         for name, value in fields.items()}, "content_type": "multipart/form-data"}


@pytest.fixture
def app(make_app):
    """Limits out of the way (the crawl sends thousands of requests from one address), and no account locks
    itself after wrong PINs (which would sign its person out in the middle of the crawl)."""
    limits = {name: "100000 per minute" for name, value in vars(Config).items()
              if name.endswith("_LIMIT") and isinstance(value, str)}
    return make_app(SIGN_IN_LOCK_AFTER=10**6, **limits)


@pytest.fixture
def kiosk(app, world, make_staff, staff_sign_in):
    """A browser a trainer made a kiosk of the centre, whose learners pick their names on it."""
    browser = app.test_client()
    staff_sign_in(make_staff("trainer", centre_id=world.ids["centre"]), on=browser)
    assert submit(browser, f"/centres/{world.ids['centre']}/kiosk", {"name": "PC 9"}).status_code == 303
    with app.app_context():
        db.session.get(Centre, world.ids["centre"]).sign_in_by_name = True
        db.session.commit()
    return browser


@pytest.fixture
def leader_pathway(app, world, load_courses) -> None:
    """Every shipped course served, and the learner through the leader pathway's entry modules, so that the
    leader pages show their forms."""
    load_courses()
    with app.test_request_context():
        entry_modules = leaders.current_pathway().entry_modules()
    record_finished(app, world.ids["learner"], entry_modules)


def test_odd_input_never_gives_a_server_error(app, world, kiosk, leader_pathway):
    crawl = Crawl(app, {person: kiosk if person == "kiosk" else world.browsers[person] for person in PERSONS})
    for route in routes_of(app, world.ids):
        crawl.route(route)
    assert not crawl.failures, f"{len(crawl.failures)} server errors:\n" + "\n".join(crawl.failures)


# What a person sees instead

UNUSUAL_MESSAGE = "Remove the unusual characters (such as invisible control characters) and try again."


@pytest.fixture
def trainer_at(client, english, make_centre, make_staff, staff_sign_in) -> int:
    """The client reads English and is signed in as a trainer of a new centre; returns the centre."""
    centre = make_centre()
    staff_sign_in(make_staff("trainer", centre_id=centre))
    return centre


def test_unusual_characters_in_a_field_get_a_message_and_change_nothing(app, client, trainer_at):
    for name in ("Round\x001", "Round\x1b[2J", "Round\t1", "Round\x7f"):
        response = submit(client, f"/centres/{trainer_at}", {"name": name}, action=f"/centres/{trainer_at}/cohorts")
        assert response.status_code == 400
        assert UNUSUAL_MESSAGE in visible_text(response.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalars(select(Cohort)).all() == []


def test_a_text_area_keeps_line_breaks_and_tabs(app, client, trainer_at, make_cohort, make_learner, enrol):
    learner = make_learner()
    enrol(learner.id, make_cohort(trainer_at))
    response = submit(client, f"/learners/{learner.id}", {"body": "Came twice.\r\n\tAsk about the PIN."},
                      action=f"/learners/{learner.id}/notes")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(LearnerNote.body)) == "Came twice.\r\n\tAsk about the PIN."


def test_unusual_characters_in_an_address_are_not_found_or_get_a_message(client, trainer_at):
    for path in ("/certificates/ACE479KM%00", "/certificates/ACE479KM%01", f"/centres/{trainer_at}/dashboard%7F",
                 "/courses/%FF", "/v/ACE%ED%A0%80479"):
        assert client.get(path).status_code == 404, path
    for query in ("q=%00", "q=Som%1Bchai", "page=1&%00=1"):  # the learners' search box, and a broken link
        response = client.get(f"/centres/{trainer_at}?{query}")
        assert response.status_code == 400, query
        assert UNUSUAL_MESSAGE in visible_text(response.get_data(as_text=True))


def test_query_ids_no_row_can_have_show_the_default_view(client, trainer_at, sample):
    for value in ("2147483648", str(2**63), "9" * 5000, "-1", "0", "abc", "๑"):
        assert client.get(f"/centres/{trainer_at}?cohort={value}&page={value}").status_code == 200, value
        assert client.get(f"/centres/{trainer_at}/dashboard?cohort={value}&page={value}").status_code == 200, value
        assert client.get(f"/centres/{trainer_at}/cards.pdf?cohort={value}").status_code == 404, value
