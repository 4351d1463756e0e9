"""Spot the scam: every message judged, with its reason, and the lesson then counts as done."""

from sqlalchemy import select

from civiclearn.courses.reader import read_course
from civiclearn.courses.sources import CourseSource
from civiclearn.extensions import db
from civiclearn.learning.models import LessonProgress
from tests.helpers import submit, visible_text

URL = "/courses/getting-started/how-it-works/scam-practice"


def test_each_message_gets_its_verdict_and_reason_and_the_lesson_counts(app, client, scam_course, load_courses,
                                                                         make_learner, sign_in):
    load_courses(scam_course)
    sign_in(make_learner())
    page = visible_text(client.get(URL).get_data(as_text=True))
    assert "ทำแบบฝึกด้านบนให้เสร็จก่อน" in page and "บัญชีถูกระงับ กดลิงก์ bank-th.example" in page

    unanswered = submit(client, URL, {}, form_id="practice-form")
    assert "กรุณาเลือกคำตอบ" in visible_text(unanswered.get_data(as_text=True))

    answered = visible_text(submit(client, URL, {"message_bank_link": "real", "message_own_otp": "real"},
                                   form_id="practice-form").get_data(as_text=True))
    assert "ตัดสินถูก 1 จาก 2 ข้อความ" in answered
    assert "✗ ยังไม่ถูก: ข้อความนี้เป็นการหลอกลวง" in answered and "ธนาคารไม่ส่งลิงก์ทาง SMS" in answered
    assert "✓ ถูกต้อง: ข้อความนี้เป็นของจริง" in answered and "คุณขอรหัสนี้เอง" in answered
    with app.app_context():
        assert db.session.scalar(select(LessonProgress.completed_at)) is not None
    assert "เรียนจบแล้ว: ไปทำแบบทดสอบ" in answered  # the way forward opens


def test_a_tampered_verdict_is_refused_with_a_message(client, scam_course, load_courses, make_learner, sign_in):
    load_courses(scam_course)
    sign_in(make_learner())
    page = submit(client, URL, {"message_bank_link": "maybe", "message_own_otp": "real"}, form_id="practice-form")
    assert "กรุณาเลือกคำตอบ" in visible_text(page.get_data(as_text=True))


def test_the_checker_wants_a_scam_among_the_messages_and_known_channels(scam_course):
    lesson = scam_course / "getting-started/how-it-works/scam-practice.md"
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace("scam: true", "scam: false").replace("channel: sms", "channel: pigeon", 1), encoding="utf-8")
    _course, problems = read_course(CourseSource.from_directory(scam_course / "getting-started"))
    messages = [problem.message for problem in problems]
    assert "channel must be one of sms, call, line, app, email, website, social" in messages
