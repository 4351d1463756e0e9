"""A quiz in a real browser: one question at a time on a phone, checked for accessibility on the way."""

import re

from playwright.sync_api import expect

from tests.browser.test_learner_journey import CHECK, NEXT, answer_one_at_a_time, choose

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
