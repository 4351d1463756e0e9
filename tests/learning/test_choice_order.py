"""Choices stand in an order of the attempt's own: shuffled by its token, so where the right answer stands gives
nothing away, yet the same on every page of that attempt (Back, a reload, a language switch) and on its feedback;
true / false keeps its order."""

import re

from markupsafe import escape
from werkzeug.datastructures import MultiDict

from civiclearn.learning.forms import field_name
from civiclearn.learning.services import choices_in_order
from tests.helpers import find_form, show_all_questions
from tests.learning.test_flow import COURSE, answers


def keys(choices) -> list[str]:
    return [choice.key for choice in choices]


def shown_order(html: str, name: str) -> list[str]:
    """The values of the radio buttons or checkboxes named `name`, in page order."""
    return [re.search(r'value="([^"]*)"', tag).group(1) for tag in re.findall(r"<input[^>]*>", html)
            if f'name="{name}"' in tag and re.search(r'type="(radio|checkbox)"', tag)]


def test_each_attempt_has_its_own_order_and_keeps_it(sample):
    questions = [question for module in sample.modules for question in module.quiz.questions]
    shuffled = [question for question in questions if question.kind != "true_false"]
    assert shuffled
    for question in shuffled:
        orders = {tuple(keys(choices_in_order(question, f"token-{number}"))) for number in range(20)}
        assert all(sorted(order) == sorted(keys(question.choices)) for order in orders)  # the same choices
        assert len(orders) > 1  # in more than one order
        assert keys(choices_in_order(question, "token-1")) == keys(choices_in_order(question, "token-1"))
    for question in (question for question in questions if question.kind == "true_false"):
        assert keys(choices_in_order(question, "token-1")) == ["true", "false"]


def test_the_quiz_and_its_feedback_show_the_attempts_order(client, sample, learner):
    module = sample.modules[0]
    url = f"{COURSE}/{module.key}/quiz"
    show_all_questions(client, url)
    html = client.get(url).get_data(as_text=True)
    form = find_form(html, form_id="quiz-form")
    token = dict(form["fields"])["token"]
    expected = {field_name(question): keys(choices_in_order(question, token)) for question in module.quiz.questions}
    assert {name: shown_order(html, name) for name in expected} == expected
    again = client.get(url).get_data(as_text=True)  # another visit is another attempt: its own token
    assert dict(find_form(again, form_id="quiz-form")["fields"])["token"] != token

    fields = [(name, value) for name, value in form["fields"] if name != "action"]
    fields += [(name, key) for name, chosen in answers(module.quiz, right=False).items() for key in chosen]
    response = client.post(form["action"], data=MultiDict(fields))
    assert response.status_code == 303 and "/attempts/" in response.headers["Location"]
    feedback = client.get(response.headers["Location"]).get_data(as_text=True)
    shuffled = [question for question in module.quiz.questions if question.kind != "true_false"]
    assert shuffled
    for question in shuffled:  # each question's choices are explained in the order they were shown
        part = feedback[feedback.index(str(escape(question.prompt.th))):]
        labels = [escape(choice.text.th) for choice in choices_in_order(question, token)]
        places = [part.index(f"<strong>{label}</strong>") for label in labels]
        assert places == sorted(places), question.key
