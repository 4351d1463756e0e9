"""A quiz in a real browser: one question at a time on a phone, checked for accessibility on the way; and a long
question whose text stays inside its box on a phone and on a desktop, one at a time and all on one page."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import serving
from tests.browser.test_learner_journey import CHECK, NEXT, answer_one_at_a_time, choose
from tests.courses.test_reader import edit

PHONE = {"width": 412, "height": 915}


def sign_in(page, learner) -> None:
    page.goto("/sign-in")
    page.get_by_label("รหัสผู้เรียน").fill(learner.code)
    page.get_by_label("รหัส PIN").fill(learner.pin)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def test_a_quiz_one_question_at_a_time_on_a_phone(page, sample, make_learner, assert_accessible):
    page.set_viewport_size(PHONE)
    sign_in(page, make_learner())
    module = sample.modules[1]
    first, skipped, *_others, last = module.quiz.questions
    total = len(module.quiz.questions)
    page.goto(f"/courses/getting-started/{module.key}/quiz")

    for number, question in enumerate(module.quiz.questions, start=1):
        expect(page.get_by_role("heading", level=2, name=f"ข้อที่ {number} จาก {total}")).to_be_visible()
        expect(page).to_have_title(re.compile(rf"^ข้อที่ {number} จาก {total} · "))
        expect(page.locator("fieldset.question")).to_have_count(1)
        expect(page.get_by_role("group", name=question.prompt.th)).to_be_visible()
        if number in (1, total):
            assert_accessible(page)
        if question not in (skipped, last):  # Next (and Check) without an answer is allowed
            choose(page, question, right=True)
        page.get_by_role("button", name=CHECK["th"] if number == total else NEXT["th"], exact=True).click()

    summary = page.locator(".error-summary")
    expect(summary.get_by_role("link")).to_have_text(["ข้อที่ 2 ยังไม่ได้ตอบ", f"ข้อที่ {total} ยังไม่ได้ตอบ"])
    link = summary.get_by_role("link", name="ข้อที่ 2 ยังไม่ได้ตอบ")
    assert_accessible(page)
    link.click()
    expect(page).to_have_url(re.compile(r"/quiz/2$"))
    choose(page, skipped, right=True)
    page.get_by_role("button", name="ย้อนกลับ").click()
    expect(page.get_by_role("heading", level=2, name=f"ข้อที่ 1 จาก {total}")).to_be_visible()
    expect(page.get_by_label(first.choice(sorted(first.correct_keys)[0]).text.th, exact=True)).to_be_checked()
    page.get_by_role("button", name=NEXT["th"], exact=True).click()
    for key in skipped.correct_keys:
        expect(page.get_by_label(skipped.choice(key).text.th, exact=True)).to_be_checked()

    page.get_by_role("button", name="ดูคำถามทุกข้อในหน้าเดียว").click()  # all on one page, at this question
    expect(page).to_have_url(re.compile(r"/quiz#question-2$"))
    expect(page.locator("fieldset.question")).to_have_count(total)
    expect(page.locator("#question-2")).to_be_in_viewport()
    assert_accessible(page)
    page.get_by_role("button", name="ดูคำถามทีละข้อ").click()  # one at a time again, at the first unanswered
    expect(page.get_by_role("heading", level=2, name=f"ข้อที่ {total} จาก {total}")).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=2, name=f"Question {total} of {total}")).to_be_visible()
    assert_accessible(page)
    answer_one_at_a_time(page, [last], right=True, language="en")
    expect(page.locator(".score")).to_contain_text("(100%)")


LONG_TH = ("มีคนโทรมาบอกว่าเป็นเจ้าหน้าที่ธนาคาร ขอให้คุณโอนเงินไปยังบัญชีที่ปลอดภัยเพื่อไม่ให้เงินของคุณถูกขโมย "
           "และส่งลิงก์มาทางไลน์ให้กรอกเลขบัตรประชาชนกับรหัสผ่านของแอปธนาคาร คุณควรทำอย่างไรก่อนเป็นอย่างแรก ") * 2
LONG_EN = ("Someone calls saying they are from your bank and asks you to move your money to a safe account so that "
           "it is not stolen, then sends a link in LINE asking for your ID card number and banking app password. ") * 2
ADDRESS = "https://www.example.go.th/aVeryLongAddressWithoutAnySpacesOrDashesThatMustStillWrapInsideTheBox"

OUTSIDE_THE_BOX = """() => [...document.querySelectorAll('fieldset.question')].flatMap(box => {
    const outer = box.getBoundingClientRect(), style = getComputedStyle(box);
    const inside = {top: outer.top + parseFloat(style.borderTopWidth),
                    left: outer.left + parseFloat(style.borderLeftWidth),
                    right: outer.right - parseFloat(style.borderRightWidth),
                    bottom: outer.bottom - parseFloat(style.borderBottomWidth)};
    const legend = box.querySelector('legend').getBoundingClientRect();
    const text = document.createRange();
    text.selectNodeContents(box.querySelector('.question-text'));
    const parts = {legend, 'question text': text.getBoundingClientRect()};
    const found = Object.entries(parts).filter(([, r]) => r.top < inside.top - 0.5 || r.left < inside.left - 0.5
        || r.right > inside.right + 0.5 || r.bottom > inside.bottom + 0.5)
        .map(([name, r]) => `${box.id}: the ${name} (${[r.top, r.left, r.right, r.bottom].map(Math.round)}) is not `
             + `inside the box's border (${[inside.top, inside.left, inside.right, inside.bottom].map(Math.round)})`);
    const below = [...box.querySelectorAll(':scope > :not(legend)')]
        .filter(part => part.getBoundingClientRect().top < legend.bottom - 0.5);
    return found.concat(below.map(part => `${box.id}: ${part.className || part.tagName} overlaps the question`));
})"""


@pytest.fixture
def long_question_server(app, load_courses, courses_dir):
    """The sample course with a long first question (Thai and English, with a long web address), served."""
    old = "คุณกำลังทำแบบทดสอบ และอยากอ่านคำถามเป็นภาษาอังกฤษ ควรทำอย่างไร"
    edit(courses_dir / "getting-started", "how-it-works/quiz.yml", old, f"{LONG_TH}{ADDRESS}")
    old = "You are in the middle of a quiz and want to read the questions in English. What should you do?"
    edit(courses_dir / "getting-started", "how-it-works/quiz.yml", old, f"{LONG_EN}{ADDRESS}")
    load_courses(courses_dir)
    with serving(app) as url:
        yield url


@pytest.mark.parametrize("width", [360, 1366])
def test_a_long_question_stays_inside_its_box(browser, long_question_server, make_learner, width):
    context = browser.new_context(base_url=long_question_server, viewport={"width": width, "height": 900},
                                  locale="th-TH")
    page = context.new_page()
    sign_in(page, make_learner())
    page.goto("/courses/getting-started/how-it-works/quiz")
    for language in ("ไทย", "English"):
        page.get_by_role("button", name=language, exact=True).click()
        expect(page.locator(".question-text")).to_contain_text(ADDRESS)
        assert page.evaluate(OUTSIDE_THE_BOX) == [], f"one question at a time, {language}, {width}px"
    page.locator("button[value=all]").click()
    for language in ("English", "ไทย"):
        page.get_by_role("button", name=language, exact=True).click()
        expect(page.locator("fieldset.question")).to_have_count(3)
        assert page.evaluate(OUTSIDE_THE_BOX) == [], f"all on one page, {language}, {width}px"
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    context.close()
