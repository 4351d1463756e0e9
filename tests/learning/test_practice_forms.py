"""A practice activity's blank form is rendered once per lesson and language, and each learner still gets it with
their own form token; a form with anything of the learner's in it (a go reviewed, a draft) is never kept."""

import pytest
from flask import template_rendered

from civiclearn.learning.practice_forms import PLACEHOLDER
from tests.helpers import csrf_token, find_form, good_practice, submit

REPORT_URL = "/courses/getting-started/take-part/ways-to-take-part"
TEMPLATE = "activities/report-problem.html"


@pytest.fixture
def renders(app):
    """How many times the report-problem activity's template was rendered."""
    rendered = []

    def record(_sender, template, context, **_extra):
        if template.name == TEMPLATE:
            rendered.append(template.name)

    template_rendered.connect(record, app)
    yield rendered
    template_rendered.disconnect(record, app)


def practice_token(html: str) -> str:
    return dict(find_form(html, form_id="practice-form")["fields"])["csrf_token"]


def test_each_learner_gets_the_kept_form_with_their_own_token(app, client, learner, make_learner, sign_in, renders,
                                                              sample):
    other = app.test_client()
    sign_in(make_learner("บุญมี รักดี"), on=other)
    pages = [each.get(REPORT_URL).get_data(as_text=True) for each in (client, other)]
    assert len(renders) == 1  # the second learner's form came from memory
    assert PLACEHOLDER not in pages[0] + pages[1]
    tokens = [practice_token(page) for page in pages]
    assert tokens == [csrf_token(page) for page in pages]  # the practice form's token is the page's own
    assert tokens[0] != tokens[1]
    lesson = sample.module("take-part").lesson("ways-to-take-part")
    done = other.post(REPORT_URL, data={"csrf_token": tokens[1], **good_practice(lesson)})
    assert done.status_code == 200 and f'action="{REPORT_URL}/complete"' in done.get_data(as_text=True)
    refused = client.post(REPORT_URL, data={"csrf_token": tokens[1], **good_practice(lesson)})
    assert refused.status_code == 400  # the other learner's token is not this learner's


def test_a_form_with_the_learners_own_words_is_rendered_for_them_alone(app, client, learner, make_learner, sign_in,
                                                                       renders):
    """A go reviewed and a draft carried across a language switch show what the learner typed; the next learner's
    blank form has none of it."""
    client.get(REPORT_URL)
    words = "ไฟถนนหน้าบ้านเลขที่ 12 ดับมาสามคืนแล้ว"
    reviewed = submit(client, REPORT_URL, {"description": words}, form_id="practice-form")
    assert words in reviewed.get_data(as_text=True)
    switched = submit(client, REPORT_URL, {"lang": "en", "description": words}, action="/language")
    assert switched.status_code == 303
    drafted = client.get(REPORT_URL).get_data(as_text=True)
    assert 'lang="en"' in drafted and words in drafted
    other = app.test_client()
    sign_in(make_learner("บุญมี รักดี"), on=other)
    thai = other.get(REPORT_URL).get_data(as_text=True)
    submit(other, REPORT_URL, {"lang": "en"}, action="/language")
    english = other.get(REPORT_URL).get_data(as_text=True)
    assert 'lang="en"' in english and words not in thai + english
    assert len(renders) == 4  # Thai blank (kept), reviewed, draft: each their own; English blank (kept)


def test_english_is_kept_apart_from_thai(app, client, learner, renders):
    thai = client.get(REPORT_URL).get_data(as_text=True)
    submit(client, REPORT_URL, {"lang": "en"}, action="/language")
    english = client.get(REPORT_URL).get_data(as_text=True)
    assert len(renders) == 2
    assert 'lang="en"' in english and "Describe the problem" in english and "Describe the problem" not in thai
