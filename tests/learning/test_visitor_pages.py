"""Public learning pages are rendered once for visitors who are not signed in, and each visitor still gets a
page with their own form token; nobody signed in, on a kiosk or with a message waiting gets a kept page."""

import pytest
from flask import render_template_string, template_rendered
from flask_wtf.csrf import generate_csrf

from civiclearn.learning.visitor_pages import PLACEHOLDER, kept_for_visitors
from tests.helpers import csrf_token, visible_text

COURSE = "/courses/getting-started"
PUBLIC_PAGES = ["/", "/courses", COURSE, f"{COURSE}/take-part", f"{COURSE}/take-part/guide"]


@pytest.fixture
def renders(app):
    """The templates rendered, as the app renders them."""
    rendered = []

    def record(_sender, template, context, **_extra):
        rendered.append(template.name)

    template_rendered.connect(record, app)
    yield rendered
    template_rendered.disconnect(record, app)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_a_public_page_is_rendered_once_and_each_visitor_switches_language_with_their_own_token(app, sample, renders,
                                                                                                path):
    first, second = app.test_client(), app.test_client()
    pages = [client.get(path).get_data(as_text=True) for client in (first, second)]
    assert len(renders) == 1
    assert PLACEHOLDER not in pages[0] + pages[1]
    tokens = [csrf_token(page) for page in pages]
    assert tokens[0] != tokens[1]  # each visitor's own session
    for client, token in zip((first, second), tokens):
        switched = client.post(f"/language?next={path}", data={"csrf_token": token, "lang": "en"})
        assert switched.status_code == 303
    english = first.get(path).get_data(as_text=True)
    assert 'lang="en"' in english and len(renders) == 2  # English is kept apart from Thai
    assert visible_text(english) != visible_text(pages[0])


def test_a_page_is_not_kept_from_a_token_the_visitor_cannot_use(app, sample):
    """A visitor's page never carries another visitor's token: a token taken from one session is refused in
    another."""
    first, second = app.test_client(), app.test_client()
    token = csrf_token(first.get(COURSE).get_data(as_text=True))
    second.get(COURSE)
    refused = second.post(f"/language?next={COURSE}", data={"csrf_token": token, "lang": "en"})
    assert refused.status_code == 400


def test_signed_in_learners_get_their_own_page(app, client, sample, learner, renders):
    visitor = app.test_client()
    visitor.get(COURSE)
    visitor.get(COURSE)
    page = visible_text(client.get(COURSE).get_data(as_text=True))
    assert len(renders) == 2 and learner.name in page  # signed in: rendered for them


def test_no_kept_page_with_a_query_string_or_a_message_to_show(app, sample, renders):
    visitor = app.test_client()
    visitor.get(f"{COURSE}?from=poster")
    visitor.get(f"{COURSE}?from=poster")
    assert len(renders) == 2
    with visitor.session_transaction() as session:
        session["_flashes"] = [("info", "A message for this visitor")]
    assert "A message for this visitor" in visitor.get(COURSE).get_data(as_text=True)
    assert len(renders) == 3


def test_a_new_version_of_a_course_shows_at_once(app, sample, courses_dir, load_courses, renders):
    visitor = app.test_client()
    before = visitor.get(COURSE).get_data(as_text=True)
    course_file = courses_dir / "getting-started" / "course.yml"
    course_file.write_text(course_file.read_text(encoding="utf-8").replace("th: ", "th: ฉบับปรับปรุง ", 1),
                           encoding="utf-8")
    load_courses(courses_dir)
    after = visitor.get(COURSE).get_data(as_text=True)
    assert len(renders) == 2 and "ฉบับปรับปรุง" in after and "ฉบับปรับปรุง" not in before


def test_a_page_whose_rendering_made_a_real_token_is_not_kept(app, sample):
    """A page with a form of its own (Flask-WTF makes the visitor's token while rendering) is each visitor's."""
    def page_with_a_form():
        return render_template_string("<form>{{ real_token() }}</form><form>{{ csrf_token() }}</form>",
                                      real_token=generate_csrf)
    app.add_url_rule("/test-page-with-a-form", view_func=kept_for_visitors(page_with_a_form))
    pages = [app.test_client().get("/test-page-with-a-form").get_data(as_text=True) for _ in range(2)]
    real = [page.split("</form>")[0] for page in pages]
    assert real[0] != real[1] and PLACEHOLDER not in "".join(pages)
