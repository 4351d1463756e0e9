"""Deep linking: from the LMS's "add activity", a teacher picks modules; they go back as activities with
gradebook columns, checked by the platform."""

import requests

from tests.helpers import csrf_token as picker_token
from tests.lti.conftest import public_path
from tests.lti.platform import INSTRUCTOR, FormFields


def test_a_teacher_picks_modules_that_come_back_as_activities_with_gradebook_columns(app, client, lms, registered,
                                                                                      launch, sample):
    lms.next.roles = [INSTRUCTOR]
    lms.next.deep_linking = True
    launched = launch()
    assert launched.landing.headers["Location"] == "/lti/choose"
    picker = client.get("/lti/choose")
    text = picker.get_data(as_text=True)
    assert picker.status_code == 200
    assert sample.modules[0].title.th in text and sample.modules[1].title.th in text
    lms.tool_keys = client.get("/lti/jwks").get_json()
    chosen = [f"{sample.key}/{module.key}" for module in sample.modules[:2]]
    answer = client.post("/lti/choose", data={"module": chosen, "csrf_token": picker_token(text)})
    assert answer.status_code == 200
    assert f"form-action 'self' {lms.base}" in answer.headers["Content-Security-Policy"]
    form = FormFields(answer.get_data(as_text=True), "deep-link-return")
    assert form.action == lms.base + "/deep-link-return"
    returned = requests.post(form.action, data=form.fields, timeout=10)
    assert returned.status_code == 200, returned.text
    [items] = lms.deep_links
    assert [item["type"] for item in items] == ["ltiResourceLink", "ltiResourceLink"]
    first = items[0]
    assert first["url"] == f"{app.config['PUBLIC_URL']}/courses/{sample.key}/{sample.modules[0].key}"
    assert first["title"] == f"{sample.title.th}: {sample.modules[0].title.th}"
    assert first["lineItem"]["scoreMaximum"] == len(sample.modules[0].quiz.questions)
    assert first["custom"] == {"module": chosen[0]}


def test_choosing_nothing_says_so(app, client, lms, registered, launch, sample):
    lms.next.roles = [INSTRUCTOR]
    lms.next.deep_linking = True
    launch()
    text = client.get("/lti/choose").get_data(as_text=True)
    answer = client.post("/lti/choose", data={"csrf_token": picker_token(text)})
    assert answer.status_code == 400
    assert "เลือกอย่างน้อยหนึ่งหน่วย" in answer.get_data(as_text=True)


def test_a_learner_cannot_choose(app, client, lms, registered, launch, caplog):
    lms.next.deep_linking = True
    launched = launch()
    assert launched.launch.status_code == 400
    assert "ครูของรายวิชา" in launched.launch.get_data(as_text=True)
    assert client.get("/lti/choose").status_code == 404


def test_the_picker_is_only_for_the_teacher_who_launched_it(app, client, lms, registered, launch, learner):
    assert client.get("/lti/choose").status_code == 404  # a signed-in learner with no deep-linking request


def test_an_activity_whose_custom_parameter_names_the_module_opens_it(app, client, lms, registered, launch, sample):
    """As an LMS that keeps the activity's launch address (the tool's) and only its custom parameters."""
    lms.next.custom = {"module": f"{sample.key}/{sample.modules[1].key}"}
    launched = launch()
    assert public_path(launched.landing.headers["Location"]) == f"/courses/{sample.key}/{sample.modules[1].key}"
