"""A learner logs something they did for real on a 412 px phone, in Thai, with JavaScript off (the form is a plain
form), finds it in their list of actions, and both pages pass the axe scan."""

from playwright.sync_api import expect

from tests.browser.conftest import sign_in_learner

PHONE = {"width": 412, "height": 915}


def test_a_learner_logs_an_action_on_a_phone_without_javascript_and_finds_it_in_their_list(
        browser, live_server, make_learner, assert_accessible):
    learner = make_learner("ป้าบุญมี ทดลอง")
    context = browser.new_context(base_url=live_server, viewport=PHONE, locale="th-TH", java_script_enabled=False)
    page = context.new_page()
    sign_in_learner(page, learner)
    page.goto("/")
    page.get_by_role("link", name="บันทึกสิ่งที่ฉันทำ").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("บันทึกสิ่งที่ฉันทำ")
    page.get_by_role("button", name="บันทึกสิ่งที่ฉันทำ").click()  # nothing filled in: the server says what is missing
    expect(page.locator(".error-summary")).to_contain_text("เลือกสิ่งที่คุณทำ")
    page.get_by_label("ฉันแจ้งปัญหา (ถนน ไฟฟ้า ขยะ น้ำ ฯลฯ)").check()
    page.get_by_label("ทราฟฟี่ ฟองดูว์ (Traffy Fondue)").check()
    page.get_by_label("เมื่อไร").fill("2026-03-02")
    page.get_by_label("เลขเรื่องหรือเลขรับแจ้ง (ถ้ามี)").fill("2569-ABCD12")
    page.get_by_label("บันทึกสั้น ๆ (เว้นว่างได้)").fill("ไฟถนนหน้าวัดดับ")
    page.get_by_role("button", name="บันทึกสิ่งที่ฉันทำ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("สิ่งที่ฉันทำ")
    expect(page.locator("body")).to_contain_text("ขอบคุณ บันทึกสิ่งที่คุณทำไว้ในรายการแล้ว")
    listed = page.locator("ul.steps li").first
    for text in ("ฉันแจ้งปัญหา", "ทราฟฟี่ ฟองดูว์", "2 มี.ค. 2569", "2569-ABCD12", "ไฟถนนหน้าวัดดับ"):
        expect(listed).to_contain_text(text)
    context.close()

    # The same pages in a browser with JavaScript (axe runs in the page): the form, with its errors, and the list.
    context = browser.new_context(base_url=live_server, viewport=PHONE, locale="th-TH")
    page = context.new_page()
    sign_in_learner(page, learner)
    page.goto("/me/actions/new")
    assert_accessible(page)
    page.get_by_role("button", name="บันทึกสิ่งที่ฉันทำ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("บันทึกสิ่งที่ฉันทำ")
    assert_accessible(page)
    page.goto("/me/actions")
    expect(page.locator("ul.steps li").first).to_contain_text("2569-ABCD12")
    assert_accessible(page)
    context.close()
