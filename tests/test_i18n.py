"""Thai by default, English on request, every UI string translated, Buddhist Era dates in Thai."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from civiclearn.config import ROOT
from civiclearn.extensions import babel
from civiclearn.i18n import christian_year, thai_date
from tests.helpers import (
    answer_quiz,
    csrf_token,
    find_form,
    finish_module,
    show_all_questions,
    submit,
    text_outside,
    visible_text,
)

TRANSLATIONS = ROOT / "translations"
THAI = re.compile(r"[\u0e00-\u0e7f]")
COURSE = "/courses/getting-started"


def extracted_messages() -> set:
    """Every UI string in the code and templates, as `make extract-messages` finds them."""
    method_map = [("civiclearn/**.py", "python"), ("templates/**.html", "jinja2")]
    found = extract_from_dir(str(ROOT), method_map, keywords={"_": None, "_l": None, "gettext": None,
                                                              "ngettext": (1, 2), "lazy_gettext": None},
                             directory_filter=lambda path: "__pycache__" not in path and "/." not in path)
    return {message if isinstance(message, str) else tuple(message) for _file, _line, message, _comments, _context in found}


@pytest.mark.parametrize("language", ["th", "en"])
def test_every_ui_string_has_a_translation(language):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as file:
        catalog = read_po(file)
    messages = extracted_messages()
    assert len(messages) > 100
    translated = {message.id: message for message in catalog if message.id}
    missing = [message for message in messages if message not in translated]
    assert missing == [], f"add these to translations/{language} (make extract-messages)"
    empty = [message.id for message in translated.values() if not all(message.string if isinstance(message.string, tuple) else [message.string])]
    assert empty == []
    fuzzy = [message.id for message in translated.values() if message.fuzzy]
    assert fuzzy == []
    assert list(catalog.check()) == []  # placeholders like %(name)s match


def test_thai_dates_use_the_buddhist_era():
    assert thai_date(date(2026, 11, 25)) == "25 พ.ย. 2569"
    assert thai_date(date(2027, 1, 1), "long") == "1 มกราคม 2570"


def test_a_typed_year_is_read_in_either_era():
    assert [christian_year(year) for year in (2569, 2026, 2400, 2399)] == [2026, 2026, 1857, 2399]


def test_dates_follow_the_page_language_and_bangkok_time(app):
    from civiclearn.i18n import format_date, format_datetime
    late_evening_utc = datetime(2026, 11, 24, 18, 30, tzinfo=UTC)  # 01:30 on the 25th in Bangkok
    with app.test_request_context():
        assert format_date(late_evening_utc) == "25 พ.ย. 2569"
        assert format_datetime(late_evening_utc) == "25 พ.ย. 2569 01:30"
    with app.test_request_context():
        from flask import session
        session["lang"] = "en"
        assert format_date(late_evening_utc) == "Nov 25, 2026"


@pytest.fixture
def pages(client, make_learner, sign_in, sample) -> list[str]:
    """Every page a learner sees, with a finished module so the result pages exist."""
    sign_in(make_learner(name="Somchai Example"))
    module = sample.modules[0]
    attempt = finish_module(client, module)
    lesson = module.lessons[0]
    return ["/", "/courses", COURSE, f"{COURSE}/{module.key}", f"{COURSE}/{module.key}/{lesson.key}",
            f"{COURSE}/{module.key}/quiz", attempt, f"{COURSE}/{module.key}/done", "/card", "/no-such-page"]


ANONYMOUS_PAGES = ["/", "/courses", COURSE, f"{COURSE}/how-it-works", "/sign-in", "/register", "/no-such-page"]


def switch_to_english(client) -> None:
    client.post("/language", data={"lang": "en", "csrf_token": csrf_token(client.get("/").get_data(as_text=True))})


def test_every_page_is_thai_by_default_and_english_on_request(client, pages, sample):
    for url in pages:
        html = client.get(url).get_data(as_text=True)
        assert '<html lang="th">' in html, url
    switch_to_english(client)
    for url in pages:
        html = client.get(url).get_data(as_text=True)
        assert '<html lang="en">' in html, url
        ui_text = text_outside(html, lambda tag, attrs: attrs.get("lang") == "th" or "lesson-body" in attrs.get("class", ""))
        assert not THAI.search(ui_text), f"Thai text on the English page {url}: {ui_text}"


def test_anonymous_pages_switch_language_too(client, sample):
    switch_to_english(client)
    for url in ANONYMOUS_PAGES:
        html = client.get(url).get_data(as_text=True)
        assert '<html lang="en">' in html
        assert not THAI.search(text_outside(html, lambda tag, attrs: attrs.get("lang") == "th")), url


@pytest.fixture
def pseudo_translations(tmp_path) -> Path:
    """A Thai catalogue whose every string is wrapped in ⟦ ⟧: text outside the marks was never translated."""
    with open(TRANSLATIONS / "messages.pot", "rb") as file:
        template = read_po(file)
    catalog = Catalog(locale="th")
    for message in template:
        if message.id:
            wrapped = f"⟦{message.id[0] if isinstance(message.id, tuple) else message.id}⟧"
            catalog.add(message.id, (wrapped,) if isinstance(message.id, tuple) else wrapped, flags=message.flags)
    target = tmp_path / "pseudo" / "th" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with open(target / "messages.mo", "wb") as file:
        write_mo(file, catalog)
    # Flask-Babel caches catalogues per process, not per app: start and end with an empty cache.
    babel.domain_instance.cache.clear()
    yield tmp_path / "pseudo"
    babel.domain_instance.cache.clear()


def course_texts(course) -> list[str]:
    """Every Thai text of a course: it may appear on a page without passing through the UI catalogue."""
    texts = [course.title, course.summary, course.audience]
    for module in course.modules:
        texts += [module.title, module.summary, *module.objectives, *(lesson.title for lesson in module.lessons)]
        if module.quiz:
            texts.append(module.quiz.title)
            for question in module.quiz.questions:
                texts.append(question.prompt)
                texts += [text for choice in question.choices for text in (choice.text, choice.explanation) if text]
    return [text.th for text in texts] + list(course.competences) + [c for m in course.modules for c in m.competences]


def test_no_page_shows_ui_text_that_skipped_translation(make_app, pseudo_translations, make_learner, sample):
    app = make_app(BABEL_TRANSLATION_DIRECTORIES=str(pseudo_translations))
    client = app.test_client()
    learner = make_learner(name="Somchai Example")
    pages = {url: client.get(url).get_data(as_text=True) for url in ANONYMOUS_PAGES}
    pages["/register with errors"] = submit(client, "/register", {"display_name": "", "pin": "1"}).get_data(as_text=True)
    pages["/sign-in with errors"] = submit(client, "/sign-in", {"code": "X", "pin": ""}).get_data(as_text=True)
    submit(client, "/sign-in", {"code": learner.code, "pin": learner.pin})
    module = sample.modules[0]
    attempt = finish_module(client, module)
    for url in ["/", "/courses", COURSE, f"{COURSE}/{module.key}", f"{COURSE}/{module.key}/{module.lessons[0].key}",
                f"{COURSE}/{module.key}/quiz", attempt, f"{COURSE}/{module.key}/done", "/card"]:
        pages[url] = client.get(url).get_data(as_text=True)
    quiz_url = f"{COURSE}/{module.key}/quiz"
    pages["quiz question with errors"] = answer_quiz(client, quiz_url, {}).get_data(as_text=True)
    show_all_questions(client, quiz_url)
    pages["quiz on one page with errors"] = submit(client, quiz_url, {}).get_data(as_text=True)

    known = sorted(course_texts(sample) + [learner.name, learner.code[:3] + "-" + learner.code[3:], "CivicLearn", "ไทย"],
                   key=len, reverse=True)
    for url, html in pages.items():
        text = text_outside(html, lambda tag, attrs: attrs.get("lang") == "en" or "lesson-body" in attrs.get("class", ""))
        while re.search(r"⟦[^⟦⟧]*⟧", text):
            text = re.sub(r"⟦[^⟦⟧]*⟧", " ", text)
        for known_text in known:
            text = text.replace(known_text, " ")
        leftover = re.sub(r"[\s\d%·:()\-–→←›✓✗\"!.,/]+", " ", text).strip()
        assert leftover == "", f"untranslated text on {url}: {leftover!r}"


def test_switching_language_keeps_the_page_and_the_answers_chosen(client, learner, sample):
    module = sample.modules[0]
    quiz_url = f"{COURSE}/{module.key}/quiz"
    html = client.get(quiz_url).get_data(as_text=True)
    english_button = re.search(r'<button[^>]*value="en"[^>]*>', html).group(0)
    formaction = unescape(re.search(r'formaction="([^"]+)"', english_button).group(1))
    assert 'form="quiz-form"' in english_button
    assert parse_qs(urlsplit(formaction).query) == {"next": [quiz_url]}

    form = find_form(html, form_id="quiz-form")
    first = module.quiz.questions[0]
    chosen = sorted(first.correct_keys)[0]
    data = [*form["fields"], (f"q_{first.key.replace('-', '_')}", chosen), ("lang", "en")]
    response = client.post(formaction, data=_multi(data))
    assert response.status_code == 303 and response.headers["Location"] == quiz_url

    page = client.get(quiz_url).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert re.search(rf'<input[^>]*checked[^>]*value="{chosen}"|<input[^>]*value="{chosen}"[^>]*checked', page)
    assert dict(form["fields"])["token"] in page  # still the same attempt: sending it later is idempotent
    assert first.prompt.en in visible_text(page)
    again = client.get(quiz_url).get_data(as_text=True)
    assert not re.search(rf'value="{chosen}"[^>]*checked|checked[^>]*value="{chosen}"', again)  # restored once


def _multi(pairs):
    from werkzeug.datastructures import MultiDict
    return MultiDict(pairs)


def test_switching_language_keeps_a_typed_name_but_never_a_pin(client):
    form = find_form(client.get("/register").get_data(as_text=True), form_id="register-form")
    typed = {"display_name": "Malee", "pin": "4826", "pin_confirm": "4826", "lang": "en"}
    data = [(name, value) for name, value in form["fields"] if name not in typed] + list(typed.items())
    client.post("/language?next=/register", data=_multi(data))
    page = client.get("/register").get_data(as_text=True)
    assert 'value="Malee"' in page and "4826" not in page
    assert "Create your learner account" in page


def test_a_signed_in_learner_keeps_their_language_on_the_next_visit(app, client, make_learner, sign_in, sample):
    learner = make_learner()
    sign_in(learner)
    switch_to_english(client)
    submit(client, "/", {}, action="/sign-out")
    assert '<html lang="th">' in client.get("/").get_data(as_text=True)  # the kiosk is Thai again for the next person
    sign_in(learner)
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_the_language_switch_only_returns_to_this_site(client):
    token = csrf_token(client.get("/").get_data(as_text=True))
    for target in ("https://evil.example/x", "//evil.example", "javascript:alert(1)"):
        response = client.post(f"/language?next={target}", data={"lang": "en", "csrf_token": token})
        assert response.headers["Location"] == "/"
    assert client.post("/language", data={"lang": "fr", "csrf_token": token}).status_code == 400


def test_the_switch_comes_back_to_the_part_being_read(client):
    token = csrf_token(client.get("/register").get_data(as_text=True))
    response = client.post("/language?next=/register", data={"lang": "en", "csrf_token": token,
                                                               "anchor": "section-3", "display_name": "Malee"})
    assert response.headers["Location"] == "/register#section-3"
    with client.session_transaction() as session:  # the part read is not a typed answer to give back
        assert session["form_draft"]["fields"] == [["display_name", "Malee"]]


@pytest.mark.parametrize("anchor", ['x"><script>alert(1)</script>', "javascript:alert(1)", "a b", "section-3\n",
                                    "#section-3", "3-section", "/evil.example", "x" * 65, ""])
def test_an_anchor_that_is_not_a_plain_id_is_ignored(client, anchor):
    token = csrf_token(client.get("/").get_data(as_text=True))
    response = client.post("/language?next=/courses", data={"lang": "en", "csrf_token": token, "anchor": anchor})
    assert response.status_code == 303 and response.headers["Location"] == "/courses"
