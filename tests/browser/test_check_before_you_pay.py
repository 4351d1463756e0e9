"""Check before you pay in a real browser: the shipped practice, its drawn screens read as text, accessible before
and after a go, and never a dead end, with JavaScript and without it."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_learner

URL = "/courses/everyday-digital-life/money-on-the-phone/check-before-you-pay-practice"
PAY, STOP = "จ่าย: กดยืนยัน", "ไม่จ่าย: หยุดและตรวจสอบก่อน"
GOODS_GO, WAIT = "ให้ของไปได้", "รอจนเงินขึ้นในแอปธนาคารของฉันเอง"
ONE_RIGHT = {"case_temple_donation": PAY, "case_noodle_shop": PAY, "case_fan_repair": PAY,  # only the noodles right
             "case_pork_slip": GOODS_GO, "case_fruit_slip": GOODS_GO, "case_shirt_slip": WAIT}


def sign_in(browser, live_server, learner, javascript: bool):
    """A phone-sized browser, with or without JavaScript, and the learner signed in on it."""
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844},
                                  java_script_enabled=javascript)
    page = context.new_page()
    sign_in_learner(page, learner)
    return context, page


def decide(page, answers: dict) -> None:
    """Choose an answer in each named case (its fieldset), by the words of its label, and check."""
    for case, label in answers.items():
        page.locator(f"#{case}").get_by_label(label, exact=True).check()
    page.locator("#practice-form button[type=submit]").click()


@pytest.mark.parametrize("javascript", [True, False])
def test_the_practice_is_accessible_and_never_a_dead_end(browser, live_server, load_courses, make_learner,
                                                         assert_accessible, javascript):
    from civiclearn.config import ROOT
    load_courses(ROOT / "courses" / "everyday-digital-life")
    context, page = sign_in(browser, live_server, make_learner(), javascript)
    page.goto(URL)
    case = page.locator("#case_temple_donation")
    expect(case).to_have_accessible_description(
        "ลุงสมชายอยู่ที่งานวัดป่าสามัคคี จะทำบุญ 100 บาท ลุงสแกน QR ที่ตู้บริจาค แล้วแอปขึ้นหน้านี้ "
        "คนที่คุณตั้งใจจะจ่ายให้ ผู้รับ วัดป่าสามัคคี จำนวนเงิน 100.00 บาท "
        "หน้าจอแอปธนาคารก่อนกดยืนยัน ยืนยันการโอนเงิน ผู้รับ นายสมปอง ขจรศักดิ์ จำนวนเงิน 100.00 บาท")
    if javascript:
        assert_accessible(page)
        page.locator("#practice-form button[type=submit]").click()  # sent empty: every case asks for an answer
        expect(page.locator(".error-summary li")).to_have_count(6)
        assert_accessible(page)
    for _try in range(2):
        page.goto(URL)
        decide(page, ONE_RIGHT)
        expect(page.locator(".practice .score")).to_have_text("ตัดสินใจถูก 1 จาก 6 เรื่อง")
        expect(page.locator(".look-again")).to_contain_text("เรื่องที่ 1: การโอนเงินที่รอกดยืนยัน")
        if javascript:
            assert_accessible(page)
    page.get_by_role("button", name="ขอดูเฉลย").click()
    expect(page.locator(".answers")).to_contain_text(STOP)
    if javascript:
        assert_accessible(page)
    page.get_by_role("button", name="เรียนต่อ: ไปบทต่อไป").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("แอปธนาคาร ปลอดภัยไว้ก่อน และกติกาจริงของ ธปท.")
    context.close()


def test_every_page_of_the_module_is_accessible_on_a_phone(browser, live_server, load_courses, make_learner,
                                                            assert_accessible):
    """The module's pages, lessons (tables of numbers and addresses among them) and teacher guide: no WCAG A/AA
    violation, and nothing scrolls sideways on a phone, in Thai and in English."""
    from civiclearn.config import ROOT
    load_courses(ROOT / "courses" / "everyday-digital-life")
    context, page = sign_in(browser, live_server, make_learner(), True)
    module = "/courses/everyday-digital-life/money-on-the-phone"
    lessons = ("promptpay-check-the-name", "fake-slips", "check-before-you-pay-practice",
               "bank-app-safety-and-limits", "shop-online-and-get-help")
    for language in ("ไทย", "English"):
        page.goto(module)
        if language == "English":
            page.get_by_role("button", name="English").click()
        for url in (module, *(f"{module}/{lesson}" for lesson in lessons), f"{module}/guide", f"{module}/quiz"):
            page.goto(url)
            assert_accessible(page)
    context.close()
