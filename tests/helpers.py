"""Reading pages as a person would: the forms on them, their visible text."""

import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import event
from werkzeug.test import TestResponse

from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.forms import new_token
from civiclearn.learning.models import LessonProgress, QuizAttempt


class _FormParser(HTMLParser):
    """Collects each form's action, method and the values it would submit as it stands."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = {"id": attrs.get("id"), "action": attrs.get("action", ""),
                             "method": attrs.get("method", "get").lower(), "fields": []}
            self.forms.append(self._current)
        elif tag == "input" and self._current is not None and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("radio", "checkbox") and "checked" not in attrs:
                return
            if kind not in ("submit", "button"):
                self._current["fields"].append((attrs["name"], attrs.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def forms(html: str) -> list[dict]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def find_form(html: str, action: str | None = None, form_id: str | None = None) -> dict:
    """The form with this id, or whose action starts with `action` (query string aside)."""
    for form in forms(html):
        if form_id and form["id"] == form_id:
            return form
        if action and form["action"].split("?")[0] == action:
            return form
    raise AssertionError(f"no form {form_id or action} on the page")


def submit(client: FlaskClient, page: str, data: dict, action: str | None = None,
           form_id: str | None = None, keep_defaults: bool = True) -> TestResponse:
    """Open `page`, fill its form (by default the one posting back to the page) with `data`, send it.

    Values in `data` replace the form's own; a list value sends several values (checkboxes).
    """
    html = client.get(page).get_data(as_text=True)
    form = find_form(html, action=action or (None if form_id else page.split("?")[0]), form_id=form_id)
    return client.post(form["action"], data=_multidict(filled(form, data, keep_defaults)))


def filled(form: dict, data: dict, keep_defaults: bool = True) -> list[tuple[str, str]]:
    """The form's fields (find_form) with `data` in: its values replace the form's own; a list sends several."""
    fields = [(name, value) for name, value in form["fields"] if keep_defaults and name not in data]
    for name, value in data.items():
        fields.extend((name, one) for one in (value if isinstance(value, list) else [value]))
    return fields


def _multidict(pairs):
    from werkzeug.datastructures import MultiDict
    return MultiDict(pairs)


NO_GO_BACK = {"No, go back", "ไม่ กลับไปก่อน"}


def confirm_step(response: TestResponse, question: str, yes: str, back: str) -> dict:
    """The confirm page a POST answered instead of acting (civiclearn.forms.ask_first): 200, the question, a
    "Yes, ..." button whose form posts the same fields with confirmed=yes and the CSRF token, and "No, go back" as
    a link to `back`. Returns the Yes form."""
    assert response.status_code == 200, response.status_code
    html = response.get_data(as_text=True)
    assert question in visible_text(html), visible_text(html)
    [form] = [form for form in forms(html) if ("confirmed", "yes") in form["fields"]]
    assert form["method"] == "post" and "csrf_token" in dict(form["fields"])
    assert re.search(rf'<button type="submit"[^>]*>{re.escape(yes)}</button>', html), yes
    links = re.findall(r'<a [^>]*href="([^"]+)"[^>]*>([^<]+)</a>', html)
    assert any(href == back and text in NO_GO_BACK for href, text in links), links
    return form


def say_yes(client: FlaskClient, response: TestResponse, question: str, yes: str, back: str) -> TestResponse:
    """Press "Yes" on the confirm page `response` shows."""
    form = confirm_step(response, question, yes, back)
    return client.post(form["action"], data=_multidict(form["fields"]))


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def visible_text(html: str) -> str:
    """The page's text as a reader sees it (no tags, scripts or styles), whitespace collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    return re.sub(r"\s+", " ", text).strip()


VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _TextOutside(HTMLParser):
    """Collects text except inside elements that `skip(tag, attrs)` names (with all they contain)."""

    def __init__(self, skip):
        super().__init__(convert_charrefs=True)
        self.skip, self.stack, self.parts = skip, [], []

    def handle_starttag(self, tag, attrs):
        if tag in VOID_ELEMENTS:
            return
        skipped = bool(self.stack and self.stack[-1]) or self.skip(tag, dict(attrs))
        self.stack.append(skipped)

    def handle_endtag(self, tag):
        if tag not in VOID_ELEMENTS and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def text_outside(html: str, skip) -> str:
    """Visible text of `html` without the elements `skip(tag, attrs)` picks; whitespace collapsed."""
    html = re.sub(r"<(script|style|title)\b.*?</\1>", " ", html, flags=re.DOTALL)
    parser = _TextOutside(skip)
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts)).strip()


def good_practice(lesson) -> dict:
    """Form data that does a lesson's practice activity well, whatever its type."""
    spec = lesson.activity.spec
    if lesson.activity.kind == "strong-pin":
        if spec.kind == "password":
            return {"password_example": "rice field morning bicycle"}
        return {"pin_example": "583920471605"[:spec.digits or 6]}  # 6 digits, or as many as the lesson asks
    if lesson.activity.kind == "spot-the-scam":
        return {message.field: "scam" if message.scam else "real" for message in spec}
    if lesson.activity.kind == "check-before-you-pay":
        return {case.field: "go" if case.safe else "stop" for case in spec}
    when = spec.time_words.th.split(",")[0].strip()
    return {"category": next(c.key for c in spec.categories if c.right),
            "photo": next(p.key for p in spec.photos if p.clear),
            "place": next(o.key for o in spec.places if o.right), "description": f"{'ไฟดับ ' * spec.min_length} {when}"}


def finish_lesson(client: FlaskClient, lesson, course_url: str = "/courses/getting-started") -> str:
    """Do the lesson's practice (if it has one), then press Done; return where Done leads."""
    url = f"{course_url}/{lesson.module.key}/{lesson.key}"
    if lesson.activity:
        response = submit(client, url, good_practice(lesson), form_id="practice-form")
        assert f'action="{url}/complete"' in response.get_data(as_text=True), f"the practice of {url} was not done"
    return submit(client, url, {}, action=f"{url}/complete").headers["Location"]


def finish_module(client: FlaskClient, module, course_url: str = "/courses/getting-started") -> str:
    """Finish every lesson of `module` and pass its quiz through the pages; return the attempt's URL."""
    from civiclearn.learning.forms import field_name
    for lesson in module.lessons:
        finish_lesson(client, lesson, course_url)
    right = {field_name(question): sorted(question.correct_keys) for question in module.quiz.questions}
    return answer_quiz(client, f"{course_url}/{module.key}/quiz", right).headers["Location"]


def answer_quiz(client: FlaskClient, quiz_url: str, data: dict) -> TestResponse:
    """Answer a quiz as it opens, one question at a time: on each question's page choose its answer in `data` (by
    field name; none if left out) and press Next, then "Check my answers". Returns the check's response."""
    html = client.get(quiz_url).get_data(as_text=True)
    while True:
        form = find_form(html, form_id="quiz-form")
        asked = choice_names(html)
        fields = [(name, value) for name, value in form["fields"] if name not in asked]
        fields += [(name, one) for name in asked for one in _values(data.get(name, []))]
        last = 'value="check"' in html
        response = client.post(form["action"], data=_multidict([*fields, ("action", "check" if last else "next")]))
        if last or response.status_code != 303:
            return response
        html = client.get(response.headers["Location"]).get_data(as_text=True)


def choice_names(html: str) -> set[str]:
    """The names of the page's radio buttons and checkboxes: the questions it asks."""
    return {re.search(r'name="([^"]+)"', tag).group(1)
            for tag in re.findall(r"<input[^>]*>", html) if re.search(r'type="(radio|checkbox)"', tag)}


def _values(value) -> list:
    return value if isinstance(value, list) else [value]


def show_all_questions(client: FlaskClient, quiz_url: str) -> TestResponse:
    """Press "Show all questions on one page" on the quiz's first page: the session shows quizzes so from now on."""
    form = find_form(client.get(quiz_url).get_data(as_text=True), form_id="quiz-form")
    response = client.post(form["action"], data=_multidict([*form["fields"], ("action", "all")]))
    assert response.status_code == 303 and response.headers["Location"] == quiz_url + "#question-1", response.status
    return response


def missing_tool(message: str) -> None:
    """Skip a test whose system tool (a browser, poppler, zbar) is not installed, saying how to install it;
    with CIVICLEARN_REQUIRE_TOOLS=1 (set by .ci/run) fail instead, so CI never passes by skipping."""
    if os.environ.get("CIVICLEARN_REQUIRE_TOOLS") == "1":
        pytest.fail(message)
    pytest.skip(message)


def decoded_qr_codes(pdf: bytes, tmp_path) -> list[str]:
    """What a scanner reads off the printed pages: each page rendered at 200 dpi by poppler, read by zbar."""
    if not (shutil.which("pdftoppm") and shutil.which("zbarimg")):
        missing_tool("needs pdftoppm and zbarimg: sudo apt-get install poppler-utils zbar-tools")
    (tmp_path / "printed.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(tmp_path / "printed.pdf"), str(tmp_path / "page")], check=True)
    found = subprocess.run(["zbarimg", "--quiet", "--raw", *sorted(map(str, tmp_path.glob("page-*.png")))],
                           capture_output=True, text=True, check=False)
    return found.stdout.split()


@dataclass
class TextLine:
    """A line of text on a PDF page, in points from the top left corner."""

    left: float
    top: float
    right: float
    bottom: float
    text: str

    def overlap(self, other: "TextLine") -> tuple[float, float]:
        """How far the two lines' boxes overlap across and down (zero or less: they do not)."""
        return (min(self.right, other.right) - max(self.left, other.left),
                min(self.bottom, other.bottom) - max(self.top, other.top))


WORD_BOX = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def text_lines(pdf: bytes, tmp_path) -> list[TextLine]:
    """The first page's lines of text, top to bottom, as poppler places them (pdftotext -bbox-layout). Poppler
    cuts a Thai line into several around its vowel and tone marks, so its own lines are not used: words on the
    same baseline, in the same size, and no further apart than a space are one line."""
    if not shutil.which("pdftotext"):
        missing_tool("needs pdftotext: sudo apt-get install poppler-utils")
    (tmp_path / "page.pdf").write_bytes(pdf)
    subprocess.run(["pdftotext", "-l", "1", "-bbox-layout", str(tmp_path / "page.pdf"), str(tmp_path / "page.html")],
                   check=True)
    words = sorted((float(left), float(top), float(right), float(bottom), unescape(text))
                   for left, top, right, bottom, text in WORD_BOX.findall((tmp_path / "page.html").read_text()))
    lines: list[TextLine] = []
    for left, top, right, bottom, text in words:
        line = next((line for line in lines if abs(line.top - top) < 0.01 and abs(line.bottom - bottom) < 0.01
                     and left - line.right < bottom - top), None)
        if line is None:
            lines.append(TextLine(left, top, right, bottom, text))
        else:
            line.right, line.text = max(line.right, right), line.text + text
    return sorted(lines, key=lambda line: (line.top, line.left))


def embedded_fonts(reader: PdfReader) -> dict[str, bool]:
    """Each font of the PDF, and whether its glyphs are inside the file."""
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = "/FontFile2" in descriptor
    return fonts


def race(app, work, threads: int = 6) -> list:
    """Run `work()` in several threads at once, each in its own app context and database session."""
    barrier, results, errors = threading.Barrier(threads), [], []

    def run():
        with app.app_context():
            barrier.wait()
            try:
                results.append(work())
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    return results


@contextmanager
def sql_statements(app, naming: tuple[str, ...] = ()) -> Iterator[list[str]]:
    """The SQL statements the app's engine runs while the block runs (those naming one of the tables `naming`, if
    given)."""
    found = []

    def keep(_connection, _cursor, statement, *_arguments):
        if not naming or any(table in statement for table in naming):
            found.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", keep)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", keep)


def progress_statements(app):
    """The statements that touch learners' progress rows (lesson_progress, quiz_attempt) while the block runs."""
    return sql_statements(app, ("lesson_progress", "quiz_attempt"))


def record_finished(app, person_id: int, modules) -> None:
    """Progress as the learning pages record it, written directly (quicker than through the pages): every
    lesson of `modules` done and every quiz passed with full marks."""
    with app.app_context():
        now = utcnow()
        for module in modules:
            db.session.add_all(LessonProgress(user_id=person_id, lesson_id=lesson.id, started_at=now,
                                              last_opened_at=now, completed_at=now) for lesson in module.lessons)
            if module.quiz:
                db.session.add(QuizAttempt(user_id=person_id, quiz_id=module.quiz.id, token=new_token(), score=100,
                                           passed=True, submitted_at=now))
        db.session.commit()
