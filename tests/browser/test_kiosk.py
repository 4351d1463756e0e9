"""A shared kiosk in a real browser: code sign-in, learning, Finish, nothing left behind, idle sign-out."""

from playwright.sync_api import expect
from sqlalchemy import update

from civiclearn.accounts.models import User
from civiclearn.centres.models import Centre
from civiclearn.centres.services import make_kiosk
from civiclearn.extensions import db
from tests.browser.conftest import serving
from tests.browser.test_reading_help import root_font_size
from tests.conftest import SAMPLE_COURSE


def test_a_kiosk_leaves_nothing_of_the_last_learner(browser, make_app, make_centre, make_staff, make_learner,
                                                     load_courses, assert_accessible):
    app = make_app(IDLE_MINUTE_SECONDS=3)  # the centre's 1 "minute" of idle time lasts 3 seconds here
    centre = make_centre()
    with app.app_context():
        db.session.execute(update(Centre).where(Centre.id == centre).values(idle_minutes=1))
        db.session.commit()
    load_courses(SAMPLE_COURSE)
    trainer = make_staff("trainer", centre_id=centre)
    learner = make_learner(name="ป้าสมศรี ทดลอง")
    with serving(app) as base_url:
        context = browser.new_context(base_url=base_url, viewport={"width": 1024, "height": 768})
        page = context.new_page()
        page.goto("/staff/sign-in")
        page.get_by_label("ชื่อผู้ใช้หรืออีเมล").fill(trainer.username)
        page.get_by_label("รหัสผ่าน").fill(trainer.password)
        page.get_by_role("button", name="เข้าสู่ระบบ").click()
        page.goto(f"/centres/{centre}/kiosk")
        page.get_by_label("ชื่อเครื่องนี้").fill("เครื่องที่ 1")
        page.get_by_role("button", name="ตั้งเครื่องนี้เป็นเครื่องส่วนกลาง").click()
        expect(page.locator(".eyebrow")).to_contain_text("ศูนย์ดิจิทัลชุมชนบ้านทดสอบ")

        # a learner scans their card (the scanner types the code, then Enter), types her PIN, and learns
        page.get_by_label("รหัสผู้เรียน").click()
        page.keyboard.type(learner.code.lower())
        page.keyboard.press("Enter")
        expect(page.get_by_role("status")).to_contain_text("ต่อไปพิมพ์รหัส PIN")
        expect(page.get_by_label("รหัส PIN")).to_be_focused()
        page.keyboard.type(learner.pin)
        page.keyboard.press("Enter")
        expect(page.locator(".user-name")).to_have_text("ป้าสมศรี ทดลอง")
        assert_accessible(page)
        page.goto("/courses/getting-started/how-it-works/reading-a-lesson")
        expect(page.get_by_role("heading", level=1)).to_have_text("อ่านบทเรียนและเปลี่ยนภาษา")
        page.get_by_role("button", name="ใหญ่มาก").click()  # she reads in the largest text
        assert root_font_size(page) == "27px"
        page.get_by_role("button", name="เสร็จแล้ว").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("เข้าสู่ระบบ")
        assert root_font_size(page) == "18px"  # the next person finds the usual size

        # the next person presses Back, then reloads: nothing of hers
        page.go_back()
        expect(page.locator("body")).not_to_contain_text("ป้าสมศรี")
        page.reload()
        expect(page.locator("body")).not_to_contain_text("ป้าสมศรี")

        # she signs in again and walks away: a warning, then the kiosk signs out by itself
        page.goto("/sign-in")
        page.get_by_label("รหัสผู้เรียน").fill(learner.code)
        page.get_by_label("รหัส PIN").fill(learner.pin)
        page.get_by_role("button", name="เข้าสู่ระบบ").click()
        expect(page.locator(".user-name")).to_have_text("ป้าสมศรี ทดลอง")
        page.get_by_role("button", name="ใหญ่", exact=True).click()
        expect(page.get_by_role("alertdialog")).to_contain_text("ยังใช้งานอยู่ไหม", timeout=5000)
        expect(page.get_by_role("heading", level=1)).to_have_text("เข้าสู่ระบบ", timeout=8000)
        expect(page.locator("body")).not_to_contain_text("ป้าสมศรี")
        assert root_font_size(page) == "18px"
        context.close()


def test_stopping_a_kiosk_asks_first_and_works_without_javascript(browser, app, make_centre, make_staff,
                                                                   assert_accessible):
    """The confirm step is a page of its own, with a link back and a form: nothing needs a script."""
    centre = make_centre()
    trainer = make_staff("trainer", centre_id=centre)
    with app.app_context():
        make_kiosk(db.session.get(User, trainer.id), db.session.get(Centre, centre), "เครื่องที่ 2")
        db.session.commit()
    with serving(app) as base_url:
        context = browser.new_context(base_url=base_url, viewport={"width": 390, "height": 844},
                                      java_script_enabled=False)
        page = context.new_page()
        page.goto("/staff/sign-in")
        page.get_by_label("ชื่อผู้ใช้หรืออีเมล").fill(trainer.username)
        page.get_by_label("รหัสผ่าน").fill(trainer.password)
        page.get_by_role("button", name="เข้าสู่ระบบ").click()
        page.goto(f"/centres/{centre}/kiosk")
        stop = page.get_by_role("button", name="เลิกเป็นเครื่องส่วนกลาง", exact=True)

        stop.click()  # asks, and "No" goes back with the kiosk still there
        expect(page.get_by_role("heading", level=1)).to_have_text("ให้ เครื่องที่ 2 เลิกเป็นเครื่องส่วนกลางใช่ไหม")
        page.get_by_role("link", name="ไม่ กลับไปก่อน").click()
        expect(page.get_by_role("heading", level=2)).to_have_text("เครื่องส่วนกลางของศูนย์นี้")
        scanned = browser.new_context(base_url=base_url, viewport={"width": 390, "height": 844},
                                      storage_state=context.storage_state()).new_page()  # axe needs scripts
        scanned.goto(f"/centres/{centre}/kiosk")
        scanned.get_by_role("button", name="เลิกเป็นเครื่องส่วนกลาง", exact=True).click()
        expect(scanned.get_by_role("button", name="ใช่ เลิกเป็นเครื่องส่วนกลาง")).to_be_visible()
        assert_accessible(scanned)
        scanned.context.close()

        stop.click()  # asks again; "Yes" stops it
        page.get_by_role("button", name="ใช่ เลิกเป็นเครื่องส่วนกลาง").click()
        expect(page.get_by_role("status")).to_have_text("เครื่อง เครื่องที่ 2 เลิกเป็นเครื่องส่วนกลางแล้ว")
        expect(page.get_by_role("heading", level=2)).to_have_count(0)  # no kiosk left to list
        context.close()
