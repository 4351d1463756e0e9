"""Practice is never a dead end (issue 14): each wrong item says what to change; after two wrong tries the learner
may see the answer and go on, and the lesson counts as done with help, on the learner's pages and in the reports."""

import re

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from civiclearn.courses.activities.strong_pin import password_checks, pin_checks
from civiclearn.extensions import db
from civiclearn.learning.models import LessonProgress
from tests.helpers import csrf_token, good_practice, submit, visible_text
from tests.reports.test_dashboard import grid_rows

SCAM_URL = "/courses/getting-started/how-it-works/scam-practice"
REPORT_URL = "/courses/getting-started/take-part/ways-to-take-part"
PIN_URL = "/courses/getting-started/how-it-works/code-and-pin"
SCAM_WRONG = {"message_bank_link": "real", "message_own_otp": "real"}  # the bank's link taken for real
REPORT_WEAK = {"category": "road", "photo": "dark", "place": "school", "description": "ไฟเสีย"}
PIN_WEAK = {"pin_example": "1234"}
OFFER = "ขอดูเฉลย"  # "Show me the answer"

SCAM_LESSON = """---
title:
  th: ฝึกจับผิดข้อความหลอกลวง
  en: Practise spotting scams
minutes: 4
activity:
  type: spot-the-scam
  messages:
    - id: bank-link
      channel: sms
      sender: {th: ธนาคาร, en: Bank}
      text: {th: บัญชีถูกระงับ กดลิงก์ bank-th.example, en: "Account suspended: tap bank-th.example"}
      scam: true
      why: {th: ธนาคารไม่ส่งลิงก์ทาง SMS, en: Banks do not send links by SMS.}
      clue: {th: ดูที่ลิงก์ในข้อความ ธนาคารส่งลิงก์มาทาง SMS ไหม, en: "Look at the link. Does a bank send links by SMS?"}
    - id: own-otp
      channel: sms
      sender: {th: ระบบที่คุณเพิ่งเข้า, en: The service you just logged in to}
      text: {th: รหัส OTP ของคุณคือ 000000 ห้ามบอกใคร, en: "Your OTP is 000000. Never tell anyone."}
      scam: false
      why: {th: คุณขอรหัสนี้เอง แต่ก็ห้ามบอกใคร, en: "You asked for this code yourself, but never tell it to anyone."}
---

::: th
อ่านแต่ละข้อความ แล้วตัดสินว่าเป็นการหลอกลวงหรือไม่
:::

::: en
Read each message and decide if it is a scam.
:::
"""


@pytest.fixture
def scam(client, courses_dir, load_courses, make_learner, sign_in):
    """The sample course with a spot-the-scam lesson (one message with a clue, one without) at the end of its
    first module, and a signed-in learner."""
    module = courses_dir / "getting-started" / "how-it-works"
    (module / "scam-practice.md").write_text(SCAM_LESSON, encoding="utf-8")
    module_yml = module / "module.yml"
    lessons = module_yml.read_text(encoding="utf-8").replace("  - quizzes\n", "  - quizzes\n  - scam-practice\n")
    module_yml.write_text(lessons, encoding="utf-8")
    load_courses(courses_dir)
    learner = make_learner()
    sign_in(learner)
    return learner


def go(client, url: str, data: dict) -> str:
    """One go at the lesson's practice; the page that answers it."""
    response = submit(client, url, data, form_id="practice-form")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def failing_lines(html: str) -> list[str]:
    return [visible_text(item) for item in re.findall(r'<li class="check check-fail">(.*?)</li>', html, re.S)]


def progress(app):
    with app.app_context():
        return db.session.execute(select(LessonProgress.completed_at, LessonProgress.completed_with_help)).one()


# (a) Each wrong item says what to change -------------------------------------------------------------------

def test_a_misjudged_message_is_named_with_the_clue_to_look_for_not_with_the_answer(client, scam):
    html = go(client, SCAM_URL, SCAM_WRONG)
    text = visible_text(html)
    assert "ตัดสินถูก 1 จาก 2 ข้อความ" in text
    assert "ลองดูอีกครั้ง: ข้อความที่ 1 จาก ธนาคาร" in text and 'href="#message_bank_link"' in html
    assert "✗ ยังไม่ถูก ลองดูอีกที: ดูที่ลิงก์ในข้อความ ธนาคารส่งลิงก์มาทาง SMS ไหม" in text
    assert "ข้อความนี้เป็นการหลอกลวง" not in text and "ธนาคารไม่ส่งลิงก์ทาง SMS" not in text  # not the answer
    assert "✓ ถูกต้อง: ข้อความนี้เป็นของจริง" in text and "คุณขอรหัสนี้เอง" in text  # a right one keeps its reason
    assert "ยังไม่ถูกทุกข้อ แก้ตามคำแนะนำด้านบน แล้วตรวจอีกครั้ง" in text

    # A message without a clue of its own gets one that fits every message, still not the answer.
    text = visible_text(go(client, SCAM_URL, {"message_bank_link": "scam", "message_own_otp": "scam"}))
    assert "ข้อความที่ 2 จาก ระบบที่คุณเพิ่งเข้า" in text
    assert "ใครเป็นคนส่งมา คุณขอเองหรือเปล่า ข้อความขอให้คุณทำอะไร และเร่งให้รีบทำไหม" in text
    assert "คุณขอรหัสนี้เอง" not in text


def test_a_weak_report_is_told_step_by_step_what_to_change_without_the_answer(client, learner):
    failing = failing_lines(go(client, REPORT_URL, REPORT_WEAK))
    assert len(failing) == 5
    kind, photo, place, length, when = failing
    assert "ขั้นที่ 1" in kind and "ถนนชำรุด" in kind and "ไฟฟ้าส่องสว่าง" not in kind  # what was chosen, not the answer
    assert "ขั้นที่ 2" in photo and "รูปมืดเกินไป" in photo  # why that photo does not do
    assert "ขั้นที่ 3" in place and "หน้าโรงเรียน" in place and "หน้าวัด" not in place
    assert "ขั้นที่ 4" in length and "อีกอย่างน้อย 24 ตัวอักษร" in length  # 6 written, 30 needed
    assert "ขั้นที่ 4" in when and "ตั้งแต่เมื่อไร" in when


def test_the_report_hints_read_well_in_english(client, learner, english):
    failing = failing_lines(go(client, REPORT_URL, {**REPORT_WEAK, "place": "", "place_typed": "here",
                                                  "description": "The lamp is broken."}))
    assert failing == [
        '✗ To improve: Step 1: "Damaged road" is not the kind of problem in this story. Read "What you see" again and '
        "choose the kind that fits.",
        "✗ To improve: Step 2, the photo: Too dark: the officer cannot see the problem. Take it again by day.",
        "✗ To improve: Step 3: say where it is: choose the place on the map, or type it in at least 5 characters.",
        "✗ To improve: Step 4: write at least 11 more characters in the description: say what is wrong and exactly "
        "where.",
        "✗ To improve: Step 4: say since when in the description, for example: since last week.",
    ]


def test_weak_examples_are_told_what_to_change(app, client, learner):
    with app.test_request_context(), force_locale("en"):
        assert [check.message for check in password_checks("123456") if not check.passed] == [
            "Make it longer: at least 12 characters. Three or four words together are easy to remember.",
            "Take out the part everybody uses, like 123456 or password.",
            "Add letters or words: a password of digits only is easy to guess.",
        ]
        assert [check.message for check in password_checks("abababababab") if not check.passed] == [
            "Do not repeat one small piece: put different words together."]
        assert [check.message for check in pin_checks("12a4")] == ["Use 4 to 6 digits, and nothing else: no letters, "
                                                                   "spaces or signs."]
    text = visible_text(go(client, PIN_URL, PIN_WEAK))
    assert "ตัวอย่างนี้ยังปลอดภัยได้มากกว่านี้" in text
    assert "ลองตัวอย่างใหม่ ใช้ตัวเลขที่ไม่เรียงกัน ไม่ซ้ำกัน ไม่ใช่ปี และไม่เกี่ยวกับตัวคุณ" in text


# (b) After a second wrong try, "Show me the answer" -----------------------------------------------------------

def test_after_two_wrong_tries_the_learner_may_see_the_answer_and_go_on(app, client, scam):
    assert "ทำแบบฝึกด้านบนให้เสร็จก่อน" in visible_text(client.get(SCAM_URL).get_data(as_text=True))
    first = go(client, SCAM_URL, SCAM_WRONG)
    assert OFFER not in visible_text(first)
    assert 'id="practice-form"' in client.get(f"{SCAM_URL}?answer=1").get_data(as_text=True)  # not yet

    second = go(client, SCAM_URL, SCAM_WRONG)
    text = visible_text(second)
    assert "ยังไม่ถูกก็ไม่เป็นไร นี่เป็นแค่การฝึก" in text and OFFER in text
    offer = re.search(r'<form method="get" action="([^"]+)">.*?<button type="submit" [^>]*name="answer" value="1"',
                      second, re.S)
    assert offer and offer.group(1) == SCAM_URL  # a plain GET: it works without JavaScript

    answer_page = client.get(f"{SCAM_URL}?answer=1").get_data(as_text=True)
    answer = visible_text(answer_page)
    assert 'id="practice-form"' not in answer_page  # the answer, not a form to send it with
    assert "เฉลย" in answer
    assert "ข้อความที่ 1 จาก ธนาคาร" in answer and "เป็นการหลอกลวง" in answer and "ธนาคารไม่ส่งลิงก์ทาง SMS" in answer
    assert "ข้อความที่ 2 จาก ระบบที่คุณเพิ่งเข้า" in answer and "คุณขอรหัสนี้เอง" in answer
    assert "เรียนต่อ: ทำแบบทดสอบ" in answer  # the module's next step after this lesson
    with app.app_context():
        assert db.session.scalar(select(LessonProgress.completed_at)) is None  # seeing the answer finishes nothing

    response = submit(client, f"{SCAM_URL}?answer=1", {}, action=f"{SCAM_URL}/complete")
    assert response.status_code == 303
    assert response.headers["Location"] == "/courses/getting-started/how-it-works/quiz"
    completed_at, with_help = progress(app)
    assert completed_at is not None and with_help is True
    assert "เรียนจบแล้ว: ไปทำแบบทดสอบ" in visible_text(client.get(SCAM_URL).get_data(as_text=True))


@pytest.mark.parametrize(("url", "weak", "answers"), [
    (REPORT_URL, REPORT_WEAK, ["1. เป็นปัญหาเรื่องอะไร", "ไฟฟ้าส่องสว่าง", "1 หน้าวัด",
                               "รูปเสาไฟที่หลอดไฟแตก ถ่ายในเวลากลางวัน", "รูปนี้ดี เห็นหลอดไฟที่แตก"]),
    (PIN_URL, PIN_WEAK, ["PIN ตัวอย่างที่ปลอดภัย", "อย่าใช้ตัวนี้"]),
])
def test_every_kind_of_practice_has_an_answer_to_show(app, client, learner, url, weak, answers):
    go(client, url, weak)
    go(client, url, weak)
    page = client.get(f"{url}?answer=1").get_data(as_text=True)
    text = visible_text(page)
    for expected in answers:
        assert expected in text
    if url == PIN_URL:  # a strong example made up for the learner, which the practice itself calls strong
        example = re.search(r'<p class="answer-text">\s*(\d+)\s*</p>', page).group(1)
        with app.test_request_context():
            assert all(check.passed for check in pin_checks(example))
    assert "เรียนต่อ: ไปบทต่อไป" in text or "เรียนต่อ: ทำแบบทดสอบ" in text


def test_done_with_help_needs_two_wrong_tries_first(app, client, scam):
    go(client, SCAM_URL, SCAM_WRONG)
    page = client.get(SCAM_URL).get_data(as_text=True)
    response = client.post(f"{SCAM_URL}/complete", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 303 and response.headers["Location"] == SCAM_URL
    with app.app_context():
        assert db.session.scalar(select(LessonProgress.completed_at)) is None


# (c) Done with help: done everywhere, and shown as such to staff --------------------------------------------------

def finish_with_help(client, url: str, weak: dict) -> None:
    go(client, url, weak)
    go(client, url, weak)
    response = submit(client, f"{url}?answer=1", {}, action=f"{url}/complete")
    assert response.status_code == 303


def test_done_with_help_counts_as_done_and_staff_see_it(app, client, learner, sample, make_centre, make_cohort,
                                                        enrol, make_staff, staff_sign_in):
    from civiclearn.accounts.models import User
    from civiclearn.learning.services import module_status
    centre = make_centre()
    enrol(learner.id, make_cohort(centre))
    finish_with_help(client, REPORT_URL, REPORT_WEAK)
    module = sample.modules[1]
    with app.test_request_context():
        status = module_status(db.session.get(User, learner.id), module)
        assert status.lesson_done(module.lessons[1]) and status.lesson_helped(module.lessons[1])
        assert status.steps_done == 1
    assert client.get("/me/data.json").get_json()["lessons"][0]["completed_with_help"] is True

    trainer = app.test_client()
    staff_sign_in(make_staff("trainer", centre_id=centre), on=trainer)
    token = csrf_token(trainer.get("/staff").get_data(as_text=True))
    trainer.post("/language", data={"lang": "en", "csrf_token": token})
    learner_page = visible_text(trainer.get(f"/learners/{learner.id}").get_data(as_text=True))
    assert "Done with help (saw the answer of the practice): Three ways to take part" in learner_page
    dashboard = trainer.get(f"/centres/{centre}/dashboard?course=getting-started").get_data(as_text=True)
    [row] = grid_rows(dashboard).values()
    assert (row.seen, row.heard) == (["–", "◐ *"], ["Not started", "Still learning, 1 done with help"])


def test_doing_it_alone_later_clears_the_help_but_not_right_after_seeing_the_answer(app, client, learner, sample,
                                                                                   sign_in):
    finish_with_help(client, REPORT_URL, REPORT_WEAK)
    go(client, REPORT_URL, good_practice(sample.modules[1].lessons[1]))  # still this session: the answer was seen
    assert progress(app)[1] is True
    sign_in(learner)  # another day: a new session
    go(client, REPORT_URL, good_practice(sample.modules[1].lessons[1]))
    completed_at, with_help = progress(app)
    assert completed_at is not None and with_help is False


def test_a_right_go_after_seeing_the_answer_counts_as_done_with_help(app, client, learner, sample):
    go(client, REPORT_URL, REPORT_WEAK)
    go(client, REPORT_URL, REPORT_WEAK)
    client.get(f"{REPORT_URL}?answer=1")
    go(client, REPORT_URL, good_practice(sample.modules[1].lessons[1]))
    completed_at, with_help = progress(app)
    assert completed_at is not None and with_help is True


def test_done_alone_stays_done_alone(app, client, learner, sample):
    go(client, REPORT_URL, good_practice(sample.modules[1].lessons[1]))
    go(client, REPORT_URL, REPORT_WEAK)  # practising again after finishing
    go(client, REPORT_URL, REPORT_WEAK)
    page = client.get(f"{REPORT_URL}?answer=1").get_data(as_text=True)
    assert OFFER not in visible_text(page) and 'id="practice-form"' in page  # "Done" is there: no answer needed
    submit(client, REPORT_URL, {}, action=f"{REPORT_URL}/complete")
    assert progress(app)[1] is False


# (d) Tries belong to one learner and one lesson ------------------------------------------------------------------

def test_tries_belong_to_the_learner_and_the_lesson(app, client, scam, make_learner, sign_in):
    go(client, SCAM_URL, SCAM_WRONG)
    go(client, SCAM_URL, SCAM_WRONG)
    assert OFFER in visible_text(client.get(SCAM_URL).get_data(as_text=True))
    assert OFFER not in visible_text(go(client, REPORT_URL, REPORT_WEAK))  # one try at another lesson

    sign_in(make_learner("บุญมี ถัดไป", pin="5839"))  # the next learner at the same kiosk
    assert OFFER not in visible_text(go(client, SCAM_URL, SCAM_WRONG))
    assert 'id="practice-form"' in client.get(f"{SCAM_URL}?answer=1").get_data(as_text=True)
    page = client.get(SCAM_URL).get_data(as_text=True)
    assert client.post(f"{SCAM_URL}/complete", data={"csrf_token": csrf_token(page)}).headers["Location"] == SCAM_URL
