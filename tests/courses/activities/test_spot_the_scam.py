"""Spot the scam: every message judged, with its reason (or, judged wrongly, a clue), and the lesson then counts
as done."""

import pytest
from sqlalchemy import select

from civiclearn.courses.activities import ACTIVITY_TYPES
from civiclearn.courses.reader import read_course
from civiclearn.courses.sources import CourseSource
from civiclearn.extensions import db
from civiclearn.learning.models import LessonProgress
from tests.helpers import csrf_token, submit, visible_text

URL = "/courses/getting-started/how-it-works/scam-practice"
TYPE_NEEDED = f"activity needs a type: one of {', '.join(sorted(ACTIVITY_TYPES))}"


def test_each_message_gets_its_verdict_or_a_clue_and_the_lesson_counts_when_all_are_right(
        app, client, scam_course, load_courses, make_learner, sign_in):
    load_courses(scam_course)
    sign_in(make_learner())
    page = visible_text(client.get(URL).get_data(as_text=True))
    assert "ทำแบบฝึกด้านบนให้เสร็จก่อน" in page and "บัญชีถูกระงับ กดลิงก์ bank-th.example" in page

    unanswered = submit(client, URL, {}, form_id="practice-form")
    assert "กรุณาเลือกคำตอบ" in visible_text(unanswered.get_data(as_text=True))

    first_go = visible_text(submit(client, URL, {"message_bank_link": "real", "message_own_otp": "real"},
                                   form_id="practice-form").get_data(as_text=True))
    assert "ตัดสินถูก 1 จาก 2 ข้อความ" in first_go
    assert "✗ ยังไม่ถูก ลองดูอีกที:" in first_go and "ธนาคารไม่ส่งลิงก์ทาง SMS" not in first_go  # a clue, not the answer
    assert "✓ ถูกต้อง: ข้อความนี้เป็นของจริง" in first_go and "คุณขอรหัสนี้เอง" in first_go
    assert "ยังไม่ถูกทุกข้อ แก้ตามคำแนะนำด้านบน" in first_go  # one wrong: follow the clue, try again
    with app.app_context():
        assert db.session.scalar(select(LessonProgress.completed_at)) is None

    second_go = visible_text(submit(client, URL, {"message_bank_link": "scam", "message_own_otp": "real"},
                                    form_id="practice-form").get_data(as_text=True))
    assert "ตัดสินถูก 2 จาก 2 ข้อความ" in second_go and "เรียนจบแล้ว: ไปทำแบบทดสอบ" in second_go
    with app.app_context():
        assert db.session.scalar(select(LessonProgress.completed_at)) is not None


def test_done_cannot_skip_the_practice(app, client, scam_course, load_courses, make_learner, sign_in):
    load_courses(scam_course)
    sign_in(make_learner())
    response = client.post(f"{URL}/complete", data={"csrf_token": csrf_token(client.get(URL).get_data(as_text=True))})
    assert response.status_code == 303 and response.headers["Location"] == URL
    assert "ทำแบบฝึกด้านบนให้เสร็จก่อน แล้วจึงไปต่อได้" in visible_text(client.get(URL).get_data(as_text=True))
    with app.app_context():
        assert db.session.scalar(select(LessonProgress.completed_at)) is None


def test_a_tampered_verdict_is_refused_with_a_message(client, scam_course, load_courses, make_learner, sign_in):
    load_courses(scam_course)
    sign_in(make_learner())
    page = submit(client, URL, {"message_bank_link": "maybe", "message_own_otp": "real"}, form_id="practice-form")
    assert "กรุณาเลือกคำตอบ" in visible_text(page.get_data(as_text=True))


def test_the_checker_wants_a_scam_among_the_messages(scam_course):
    lesson = scam_course / "getting-started/how-it-works/scam-practice.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("scam: true", "scam: false"), encoding="utf-8")
    _course, problems = read_course(CourseSource.from_directory(scam_course / "getting-started"))
    assert [problem.message for problem in problems] == ["spot-the-scam needs at least one message with scam: true"]


def test_each_message_names_its_channel_in_the_learners_language(client, scam_course, load_courses, make_learner,
                                                                 sign_in):
    """A deepfake "officer" on a video call is a channel of its own, named as learners know it."""
    lesson = scam_course / "getting-started/how-it-works/scam-practice.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("channel: sms", "channel: video-call", 1),
                      encoding="utf-8")
    load_courses(scam_course)
    sign_in(make_learner())
    thai = visible_text(client.get(URL).get_data(as_text=True))
    assert "ข้อความที่ 1 จาก 2 · วิดีโอคอล" in thai and "ข้อความที่ 2 จาก 2 · SMS" in thai
    client.post("/language", data={"lang": "en", "csrf_token": csrf_token(client.get(URL).get_data(as_text=True))})
    english = visible_text(client.get(URL).get_data(as_text=True))
    assert "Message 1 of 2 · Video call" in english and "Message 2 of 2 · SMS" in english


CHANNEL_PROBLEM = "channel must be one of sms, call, video-call, line, app, email, website, social"


@pytest.mark.parametrize(("old", "new", "message"), [
    ("channel: sms", "channel: pigeon", CHANNEL_PROBLEM),
    ("channel: sms", "channel: [sms]", CHANNEL_PROBLEM),
    ("type: spot-the-scam", "type: [spot-the-scam]",
     TYPE_NEEDED),
    ("type: spot-the-scam", "type: {a: b}", TYPE_NEEDED),
])
def test_wrong_values_get_a_message_not_a_crash(scam_course, old, new, message):
    lesson = scam_course / "getting-started/how-it-works/scam-practice.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    _course, problems = read_course(CourseSource.from_directory(scam_course / "getting-started"))
    assert message in [problem.message for problem in problems]
