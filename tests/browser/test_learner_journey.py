"""A learner's whole first visit in a real browser, checked for accessibility at every step."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import MISSING_PAGE

TRUE_FALSE = {"th": {"true": "จริง", "false": "ไม่จริง"}, "en": {"true": "True", "false": "False"}}
NEXT = {"th": "ถัดไป", "en": "Next"}
CHECK = {"th": "ตรวจคำตอบ", "en": "Check my answers"}


def choose(page, question, right: bool, language: str = "th") -> None:
    """Tick the right (or the first wrong) choices of a question, by their labels as a person would."""
    keys = question.correct_keys if right else [c.key for c in question.choices if not c.correct][:1]
    for key in keys:
        choice = question.choice(key)
        label = TRUE_FALSE[language][key] if choice.text is None else choice.text.in_language(language)
        page.get_by_label(label, exact=True).check()


def answer_one_at_a_time(page, questions, right: bool, language: str = "th") -> None:
    """On each question's page, choose its answers and press Next; on the quiz's last question, "Check my answers"."""
    for question in questions:
        choose(page, question, right, language)
        last = page.locator("#quiz-form button[value=check]").count() == 1
        page.get_by_role("button", name=CHECK[language] if last else NEXT[language], exact=True).click()


def practise_a_strong_pin(page, assert_accessible) -> None:
    expect(page.get_by_text("ทำแบบฝึกด้านบนให้เสร็จก่อน")).to_be_visible()
    example = page.get_by_label("พิมพ์ PIN ตัวอย่าง (ไม่ใช่ PIN จริงของคุณ)")
    example.fill("1234")
    page.get_by_role("button", name="ตรวจตัวอย่างนี้").click()
    expect(page.locator(".practice [role=status]")).to_contain_text("ตัวอย่างนี้ยังปลอดภัยได้มากกว่านี้")
    expect(example).to_have_value("")  # the example is never written back into the page
    assert_accessible(page)
    example.fill("583920")
    page.get_by_role("button", name="ตรวจตัวอย่างนี้").click()
    expect(page.locator(".practice [role=status]")).to_contain_text("ตัวอย่างนี้ปลอดภัยดี")


def test_register_learn_fail_retry_pass_and_finish_a_module(page, sample, assert_accessible):
    module = sample.modules[0]

    page.goto("/")
    assert_accessible(page)
    page.get_by_role("link", name="สมัครเป็นผู้เรียน").click()
    page.get_by_label("ชื่อของคุณ").fill("สมศรี ทดลอง")
    page.get_by_label("ตั้งรหัส PIN (ตัวเลข)").fill("12")
    page.get_by_role("button", name="สมัครเลย").click()
    expect(page.locator("#pin-error")).to_contain_text("รหัส PIN ต้องเป็นตัวเลข")
    expect(page.get_by_label("ชื่อของคุณ")).to_have_value("สมศรี ทดลอง")
    assert_accessible(page)  # the page with errors, too
    page.get_by_label("ตั้งรหัส PIN (ตัวเลข)").fill("4826")
    page.get_by_label("พิมพ์รหัส PIN อีกครั้ง").fill("4826")
    page.locator("#consent").check()
    page.get_by_role("button", name="สมัครเลย").click()

    expect(page.locator(".code-display")).to_have_text(re.compile(r"^[A-Z3479]{3}-[A-Z3479]{3}$"))
    assert_accessible(page)
    page.get_by_role("link", name="เริ่มเรียน").click()
    page.get_by_role("link", name=sample.title.th).click()
    assert_accessible(page)
    page.get_by_role("link", name="เรียนหลักสูตรนี้ต่อ").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(module.lessons[0].title.th)
    image = page.locator(".lesson-body img").first
    expect(image).to_be_visible()
    image.scroll_into_view_if_needed()  # pictures load lazily: a tall header can put the first one below the fold
    assert image.evaluate("""img => img.complete ? img.naturalWidth > 0
        : new Promise(done => { img.onload = () => done(img.naturalWidth > 0); img.onerror = () => done(false); })""")
    assert_accessible(page)
    for index, lesson in enumerate(module.lessons):
        if lesson.activity:  # the strong-PIN practice must be done before the lesson counts
            practise_a_strong_pin(page, assert_accessible)
        button = "เรียนจบแล้ว: ไปบทต่อไป" if index + 1 < len(module.lessons) else "เรียนจบแล้ว: ไปทำแบบทดสอบ"
        page.get_by_role("button", name=button).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(module.quiz.title.th)
    assert_accessible(page)
    answer_one_at_a_time(page, module.quiz.questions, right=False)
    expect(page.locator(".score")).to_contain_text("ตอบถูก 0 จาก")
    assert_accessible(page)

    page.get_by_role("link", name="ทำแบบทดสอบอีกครั้ง").click()
    first, *others = module.quiz.questions
    choose(page, first, right=True)
    page.get_by_role("button", name="English").click()  # switch language mid-quiz
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_label(first.choice(sorted(first.correct_keys)[0]).text.en, exact=True)).to_be_checked()
    assert_accessible(page)
    page.get_by_role("button", name="ไทย").click()
    page.get_by_role("button", name=NEXT["th"], exact=True).click()
    answer_one_at_a_time(page, others, right=True)
    expect(page.locator(".score")).to_contain_text("(100%)")

    page.get_by_role("link", name="จบหน่วยนี้").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("เรียนจบหน่วยนี้แล้ว!")
    assert_accessible(page)
    page.get_by_role("link", name="เรียนหลักสูตรต่อ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(sample.modules[1].lessons[0].title.th)


def test_keyboard_users_can_skip_to_the_content(page, sample):
    """The skip link comes first; the sign-in page needs none: its code field has the focus as it opens."""
    page.goto("/sign-in")
    expect(page.get_by_label("รหัสผู้เรียน")).to_be_focused()
    page.goto("/courses")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="ข้ามไปยังเนื้อหาหลัก")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.locator("main a").first).to_be_focused()


def test_everything_works_without_javascript(browser, live_server, sample, make_learner):
    learner = make_learner()
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/sign-in")
    page.get_by_label("รหัสผู้เรียน").fill(learner.code)
    page.get_by_label("รหัส PIN").fill(learner.pin)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    module = sample.modules[1]
    page.goto(f"/courses/getting-started/{module.key}/quiz")
    first, second, *others = module.quiz.questions
    answer_one_at_a_time(page, [first], right=True)
    choose(page, second, right=True)
    page.get_by_role("button", name="English").click()  # the question's page again, in English, its answer kept
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=2, name=f"Question 2 of {len(module.quiz.questions)}")).to_be_visible()
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_label(first.choice(sorted(first.correct_keys)[0]).text.en, exact=True)).to_be_checked()
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Next").click()  # the second question's answer, kept by Back
    answer_one_at_a_time(page, others, right=True, language="en")
    expect(page.locator(".score")).to_contain_text("(100%)")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("เข้าสู่ระบบ")  # ready, in Thai, for the next person
    expect(page.get_by_role("status")).to_contain_text("ออกจากระบบแล้ว")
    context.close()


def test_the_other_pages_are_accessible_too(page, sample, make_learner, assert_accessible):
    learner = make_learner()
    page.goto("/sign-in")
    assert_accessible(page)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()  # empty: the page with its error messages
    expect(page.locator("#code-error")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("รหัสผู้เรียน").fill(learner.code)
    page.get_by_label("รหัส PIN").fill(learner.pin)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("สวัสดี")
    assert_accessible(page)  # the learner's home
    module = sample.modules[1]
    for url in (f"/courses/getting-started/{module.key}", "/courses", "/card", MISSING_PAGE):
        page.goto(url)
        assert_accessible(page)
    page.goto(f"/courses/getting-started/{module.key}/quiz")
    page.get_by_role("button", name="ดูคำถามทุกข้อในหน้าเดียว").click()  # the quiz with all its questions on one page
    assert_accessible(page)
    page.get_by_role("button", name="ตรวจคำตอบ").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="English").click()
    assert_accessible(page)


def test_practice_activities_and_teacher_guides_are_accessible(browser, live_server, make_learner, load_courses,
                                                               assert_accessible):
    """The three kinds of practice, before and after review, and a guide page, in a real browser."""
    from civiclearn.config import ROOT
    load_courses(ROOT / "courses" / "digital-citizen")
    learner = make_learner()
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto("/sign-in")
    page.get_by_label("รหัสผู้เรียน").fill(learner.code)
    page.get_by_label("รหัส PIN").fill(learner.pin)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    for url in ("/courses/digital-citizen/spot-the-scam/scam-practice-messages",
                "/courses/digital-citizen/report-a-problem/practice-pothole-report",
                "/courses/digital-citizen/passwords-and-otp/strong-password-practice"):
        page.goto(url)
        assert_accessible(page)
        page.locator("#practice-form button[type=submit]").click()  # sent empty: the errors, then the review
        expect(page.locator(".error-summary")).to_be_visible()
        assert_accessible(page)
    page.goto("/courses/digital-citizen/spot-the-scam/guide")
    assert_accessible(page)
    context.close()


@pytest.mark.parametrize("width", [360, 1366])
def test_a_teacher_guide_shows_the_goal_and_both_plans_on_a_phone_a_desktop_and_paper(browser, live_server, sample,
                                                                                      assert_accessible, width):
    """The goal, the 45-minute centre plan and the 50-minute school plan, each table named by its heading, in Thai
    and English, with no sideways scrolling and no WCAG violation; printed, the menus go and the plans stay."""
    guide = sample.modules[1].guide
    context = browser.new_context(base_url=live_server, viewport={"width": width, "height": 900}, locale="th-TH")
    page = context.new_page()
    page.goto(f"/courses/getting-started/{sample.modules[1].key}/guide")
    for language, centre, school in (
            ("th", "ที่ศูนย์ดิจิทัลชุมชน: 45 นาที", "ในคาบเรียนที่โรงเรียน: 50 นาที"),
            ("en", "At a community digital centre: 45 minutes", "In a school period: 50 minutes")):
        if language == "en":
            page.get_by_role("button", name="English").click()
        expect(page.locator(".goal")).to_have_text(guide.goal.in_language(language))
        expect(page.get_by_role("table", name=centre)).to_be_visible()
        school_table = page.get_by_role("table", name=school)
        expect(school_table.locator("tbody tr")).to_have_count(len(guide.school_plan))
        expect(school_table).to_contain_text(guide.school_plan[-1].step.in_language(language))
        assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("table", name="In a school period: 50 minutes")).to_be_visible()
    context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_a_learner_stuck_on_a_practice_sees_the_answer_and_goes_on(browser, live_server, sample, make_learner,
                                                                   assert_accessible, javascript):
    """Two weak practice reports, each told step by step what to change; then "Show me the answer", and "Continue"
    goes on to the quiz: with JavaScript (every page accessible) and without it."""
    learner = make_learner()
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844},
                                  java_script_enabled=javascript)
    page = context.new_page()
    page.goto("/sign-in")
    page.get_by_label("รหัสผู้เรียน").fill(learner.code)
    page.get_by_label("รหัส PIN").fill(learner.pin)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    module = sample.modules[1]
    page.goto(f"/courses/getting-started/{module.key}/{module.lessons[1].key}")
    page.get_by_label("ถนนชำรุด", exact=True).check()
    page.get_by_label("รูปที่ถ่ายตอนกลางคืน มืดจนมองไม่เห็นอะไร", exact=True).check()
    page.get_by_label("2 หน้าโรงเรียน", exact=True).check()
    page.locator("#description").fill("ไฟเสีย")
    for _try in range(2):
        page.locator("#practice-form button[type=submit]").click()
        review = page.locator(".practice [role=status]")
        expect(review).to_contain_text("ขั้นที่ 1")
        expect(review).to_contain_text("อีกอย่างน้อย 24 ตัวอักษร")
        if javascript:
            assert_accessible(page)
    page.get_by_role("button", name="ขอดูเฉลย").click()
    expect(page.get_by_role("heading", name="เฉลย")).to_be_visible()
    expect(page.locator(".answers")).to_contain_text("ไฟฟ้าส่องสว่าง")
    if javascript:
        assert_accessible(page)
    page.get_by_role("button", name="เรียนต่อ: ทำแบบทดสอบ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(module.quiz.title.th)
    context.close()
