"""Check before you pay: each case (a payment to confirm, a slip a buyer shows) decided with its reason, or, decided
wrongly, a clue; screens drawn as text; the checker holds the cases to the rule the lessons teach."""

import re

import pytest
from sqlalchemy import select

from civiclearn.courses.activities import ACTIVITY_TYPES
from civiclearn.courses.reader import read_course
from civiclearn.courses.sources import CourseSource
from civiclearn.extensions import db
from civiclearn.learning.models import LessonProgress
from tests.helpers import submit, visible_text

URL = "/courses/getting-started/how-it-works/pay-practice"
LESSON = "how-it-works/pay-practice.md"
WRONG = {"case_temple_qr": "go", "case_pork_slip": "go", "case_noodle_slip": "go"}  # paid the wrong name, gave too soon
RIGHT = {"case_temple_qr": "stop", "case_pork_slip": "stop", "case_noodle_slip": "go"}
OFFER = "ขอดูเฉลย"  # "Show me the answer"


@pytest.fixture
def practising(client, pay_course, load_courses, make_learner, sign_in):
    load_courses(pay_course)
    learner = make_learner()
    sign_in(learner)
    return learner


def go(client, data: dict) -> str:
    response = submit(client, URL, data, form_id="practice-form")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def completed(app):
    with app.app_context():
        return db.session.execute(select(LessonProgress.completed_at, LessonProgress.completed_with_help)).one_or_none()


def test_each_case_gets_its_reason_or_a_clue_and_the_lesson_counts_when_all_are_right(app, client, practising):
    page = visible_text(client.get(URL).get_data(as_text=True))
    assert "เรื่องที่ 1 จาก 3 · การโอนเงินที่รอกดยืนยัน คุณจะกดยืนยันไหม" in page
    assert "คนที่คุณตั้งใจจะจ่ายให้ ผู้รับ วัดบ้านนา จำนวนเงิน 100.00 บาท" in page
    assert "ยืนยันการโอนเงิน ผู้รับ นายสมปอง ขายดี จำนวนเงิน 100.00 บาท" in page
    assert "เงินที่ลูกค้าต้องจ่าย ราคา 1,250.00 บาท" in page
    assert "โอนเงินสำเร็จ ผู้โอน สมชาย ใจดี ผู้รับ แดง มีสุข จำนวนเงิน 1,250.00 บาท เวลา วันนี้ 10:42 น." in page
    assert "เงินเข้า ยังไม่มีเงินเข้าใหม่" in page and "เงินเข้า จำนวนเงิน +60.00 บาท ผู้โอน มานี รักเรียน" in page
    assert "ทำแบบฝึกด้านบนให้เสร็จก่อน" in page

    assert "กรุณาเลือกคำตอบ" in visible_text(go(client, {}))

    html = go(client, WRONG)
    first_go = visible_text(html)
    assert "ตัดสินใจถูก 1 จาก 3 เรื่อง" in first_go
    assert 'href="#case_temple_qr">เรื่องที่ 1: การโอนเงินที่รอกดยืนยัน</a>' in html
    assert 'href="#case_pork_slip">เรื่องที่ 2: สลิปที่มีคนยื่นให้ดู</a>' in html
    assert "✗ ยังไม่ถูก ลองดูอีกที: ดูชื่อผู้รับบนจอ แล้วเทียบกับคนที่จะโอนให้" in first_go  # the case's own clue
    # a case without a clue of its own gets the question that fits its kind; neither gives the answer away
    assert "ก่อนให้ของไป เงินต้องขึ้นที่ไหน ในสลิปของลูกค้า หรือในแอปธนาคารของคุณเอง" in first_go
    assert "ชื่อผู้รับไม่ใช่ชื่อวัด" not in first_go and "เงินยังไม่เข้าแอปธนาคารของเรา" not in first_go
    assert "✓ ถูกต้อง: ให้ของไปได้ เงินเข้าแอปของเราแล้ว ให้ของได้" in first_go  # a right one keeps its reason
    assert completed(app) is None or completed(app)[0] is None

    second_go = visible_text(go(client, RIGHT))
    assert "ตัดสินใจถูก 3 จาก 3 เรื่อง" in second_go
    assert "✓ ถูกต้อง: อย่าเพิ่งจ่าย ชื่อผู้รับไม่ใช่ชื่อวัด อย่ากดยืนยัน" in second_go
    assert "✓ ถูกต้อง: รอให้เงินเข้าก่อน เงินยังไม่เข้าแอปธนาคารของเรา รอก่อน" in second_go
    assert "เรียนจบแล้ว: ไปทำแบบทดสอบ" in second_go
    completed_at, with_help = completed(app)
    assert completed_at is not None and with_help is False


def test_the_screens_are_text_that_describes_each_question(client, practising):
    """Screen readers read the drawn screens: they are text, not pictures, and each question is described by its
    story and its screens."""
    html = client.get(URL).get_data(as_text=True)
    practice = html[html.index('<section class="practice"'):html.index("</section>", html.index('class="practice"'))]
    assert "<img" not in practice and "<svg" not in practice
    for case in ("temple_qr", "pork_slip", "noodle_slip"):
        described = f'aria-describedby="case_{case}-story case_{case}-screens"'
        assert f'<fieldset id="case_{case}" class="question" {described}>' in practice
        screens = re.search(rf'<div class="case-screens" id="case_{case}-screens">(.*?)\n    </div>', practice, re.S)
        assert screens and "baht" not in screens.group(1) and "บาท" in screens.group(1)
    assert re.search(r'<legend>\s*<span class="question-number">เรื่องที่ 1 จาก 3', practice)
    assert practice.count('type="radio"') == 6 and practice.count("<label for=") == 6


def test_the_practice_reads_well_in_english(client, practising, english):
    page = visible_text(client.get(URL).get_data(as_text=True))
    assert "Case 1 of 3 · a payment to confirm Would you press confirm?" in page
    assert "Whom you mean to pay To Wat Ban Na Amount 100.00 baht" in page
    assert "Confirm the transfer To Mr Sompong Khaidee Amount 100.00 baht" in page
    assert "Pay: press confirm" in page and "Do not pay: stop and check" in page
    assert "The goods can go" in page and "Wait until the money shows in my own bank app" in page
    assert "Money in No new money has come in." in page and "A QR code for checking the slip" in page
    first_go = visible_text(go(client, WRONG))
    assert "1 of 3 decided right" in first_go and "Look again at: Case 1: a payment to confirm" in first_go
    assert "Where must the money show before the goods go: on the buyer's slip, or in your own bank app?" in first_go


def test_after_two_wrong_goes_the_answer_then_done_with_help(app, client, practising):
    assert OFFER not in visible_text(go(client, WRONG))
    assert OFFER in visible_text(go(client, WRONG))
    answer_page = client.get(f"{URL}?answer=1").get_data(as_text=True)
    answer = visible_text(answer_page)
    assert 'id="practice-form"' not in answer_page
    assert ("เรื่องที่ 1: การโอนเงินที่รอกดยืนยัน ลุงจะทำบุญ 100 บาทให้วัด สแกน QR ที่ตู้บริจาค "
            "ไม่จ่าย: หยุดและตรวจสอบก่อน ชื่อผู้รับไม่ใช่ชื่อวัด อย่ากดยืนยัน") in answer
    assert "เรื่องที่ 2: สลิปที่มีคนยื่นให้ดู" in answer and "รอจนเงินขึ้นในแอปธนาคารของฉันเอง" in answer
    assert "เรื่องที่ 3: สลิปที่มีคนยื่นให้ดู" in answer and "ให้ของไปได้ เงินเข้าแอปของเราแล้ว" in answer
    assert completed(app) is None or completed(app)[0] is None  # seeing the answer finishes nothing

    response = submit(client, f"{URL}?answer=1", {}, action=f"{URL}/complete")
    assert response.status_code == 303
    assert response.headers["Location"] == "/courses/getting-started/how-it-works/quiz"
    completed_at, with_help = completed(app)
    assert completed_at is not None and with_help is True


def test_nothing_the_learner_chooses_is_kept(app, client, practising):
    """A go leaves only a count of wrong tries in the session (for "Show me the answer"), and nothing in the
    database until the lesson is done."""
    client.get(URL)
    with client.session_transaction() as session:
        before = dict(session)
    go(client, WRONG)
    with client.session_transaction() as session:
        after = dict(session)
    added = {key: value for key, value in after.items() if before.get(key) != value and key != "csrf_token"}
    assert list(added) == ["practice_tries"] and list(added["practice_tries"].values()) == [1]
    assert completed(app) is None or completed(app)[0] is None


def test_a_tampered_decision_is_refused_with_a_message(client, practising):
    page = visible_text(go(client, {**RIGHT, "case_temple_qr": "maybe"}))
    assert "กรุณาเลือกคำตอบ" in page and "ตัดสินใจถูก" not in page


def edit(course_dir, old: str, new: str) -> int:
    """Replace `old` in the practice lesson; return the line where it was."""
    lesson = course_dir / "getting-started" / LESSON
    text = lesson.read_text(encoding="utf-8")
    assert old in text, old
    lesson.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


def problems(course_dir) -> list[str]:
    """The checker's lines (path:line: message) for the course."""
    source = CourseSource.from_directory(course_dir / "getting-started")
    _course, found = read_course(source)
    prefix = source.shown("") + "/"
    return [str(problem).removeprefix(prefix) for problem in found]


def test_the_checker_wants_a_case_where_stopping_is_right(pay_course):
    line = edit(pay_course, "  cases:", "  cases:")
    edit(pay_course, "      safe: false\n      why: {th: ชื่อ", "      safe: true\n      why: {th: ชื่อ")
    edit(pay_course, "      money_in: 0\n      safe: false", "      money_in: 1250\n      safe: true")
    assert problems(pay_course) == [f"{LESSON}:{line}: check-before-you-pay needs at least one case with safe: false"]


def test_a_wrong_amount_is_never_safe_to_pay(pay_course):
    edit(pay_course, "        amount: 100\n      safe: false", "        amount: 1000\n      safe: false")
    assert problems(pay_course) == []  # stopping is right
    line = edit(pay_course, "      safe: false\n      why: {th: ชื่อ", "      safe: true\n      why: {th: ชื่อ")
    assert problems(pay_course) == [
        f'{LESSON}:{line}: case "temple-qr": the screen shows 1000 baht where 100 is expected, so paying is not safe: '
        "write safe: false"]


@pytest.mark.parametrize(("old", "new", "message"), [
    # the goods go exactly when the price is in the seller's own bank app, whatever the slip says
    ("      money_in: 60\n      safe: true", "      money_in: 0\n      safe: true",
     "case \"noodle-slip\": the goods can go only when the price is in the seller's own bank app, whatever the slip "
     "says: write money_in: 60, or safe: false"),
    ("      money_in: 0\n      safe: false", "      money_in: 1250\n      safe: false",
     "case \"pork-slip\": the price is in the seller's own bank app (money_in), so the goods can go: write safe: "
     "true, or a money_in other than the price"),
])
def test_slip_cases_follow_the_rule_the_lessons_teach(pay_course, old, new, message):
    line = edit(pay_course, old, new) + 1  # the safe: line
    assert problems(pay_course) == [f"{LESSON}:{line}: {message}"]


NOODLE = "    - id: noodle-slip"  # where a problem of the whole case is reported


@pytest.mark.parametrize(("old", "new", "at", "message"), [
    ("      price: 60\n", "      price: 60\n      expect: {to: {th: ร้าน, en: Shop}, amount: 60}\n", NOODLE,
     'case "noodle-slip" needs either expect and screen (a payment to confirm) or price, slip and money_in (a slip you '
     "are shown), not both"),
    ("      safe: true\n", "      safe: yes please\n", "", 'safe of case "noodle-slip" must be true or false'),
    ("      money_in: 60\n", "      money_in: -5\n", "", "money_in must be a whole number from 0 to 10000000"),
    ("      money_in: 60\n", "", NOODLE, "missing money_in (a whole number from 0 to 10000000)"),
    ("      price: 60\n", "      price: 60.5\n", "", "price must be a whole number from 1 to 10000000"),
    ("        amount: 100\n      safe", "        amount: 100\n        colour: red\n      safe", "        colour: red",
     'unknown field "colour" (expected one of: amount, to)'),
    ("        when: {th: วันนี้ 10:42 น., en: \"Today, 10:42\"}\n", "        when: {th: วันนี้ 10:42 น.}\n", "",
     'missing English (en) text in when of slip of case "pork-slip"'),
    ("      screen:\n", "      shown:\n", "", 'unknown field "shown" (expected one of: clue, expect, id, money_in, '
                                              "price, safe, screen, slip, story, why)"),
    ("      story: {th: ลูกค้าซื้อก๋วยเตี๋ยว 60 บาท, en: A customer buys noodles for 60 baht.}\n", "", NOODLE,
     'missing story of case "noodle-slip" (needs th and en)'),
    ("    - id: noodle-slip\n", "    - id: pork-slip\n", "",
     'duplicate id: case "pork-slip" is already used in this activity (line 20)'),
    ("type: check-before-you-pay", "type: check-before-you-buy", "activity:",
     f"activity needs a type: one of {', '.join(sorted(ACTIVITY_TYPES))}"),
])
def test_wrong_values_get_a_message_with_their_line_not_a_crash(pay_course, old, new, at, message):
    line = edit(pay_course, old, new)
    if at:
        text = (pay_course / "getting-started" / LESSON).read_text(encoding="utf-8")
        line = text[:text.index(at)].count("\n") + 1
    assert f"{LESSON}:{line}: {message}" in problems(pay_course)
