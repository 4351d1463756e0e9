"""A lesson table wider than a phone scrolls within itself, and a keyboard user can reach and scroll it."""

from tests.browser.conftest import serving, sign_in_learner

WIDE_TABLE = {
    "th": "| ช่องทาง | ที่อยู่ | เมื่อไร |\n| --- | --- | --- |\n"
          "| แจ้งความออนไลน์ | www.thaipoliceonline.go.th/แจ้งความ/คดีออนไลน์ทุกประเภท | ทันทีที่รู้ตัวว่าโดนหลอก |\n",
    "en": "| Channel | Address | When |\n| --- | --- | --- |\n"
          "| Online police report | www.thaipoliceonline.go.th/report/every-kind-of-online-case | As soon as you know |\n",
}


def test_a_wide_lesson_table_scrolls_within_itself_and_takes_keyboard_focus(browser, app, courses_dir, load_courses,
                                                                            make_learner, assert_accessible):
    lesson = courses_dir / "getting-started" / "how-it-works" / "reading-a-lesson.md"
    text = lesson.read_text(encoding="utf-8")
    for language, table in WIDE_TABLE.items():
        text = text.replace(f"::: {language}\n", f"::: {language}\n{table}\n", 1)
    lesson.write_text(text, encoding="utf-8")
    assert [result.status for result in load_courses(courses_dir)] == ["loaded"]
    with serving(app) as url:
        context = browser.new_context(base_url=url, viewport={"width": 360, "height": 740}, locale="th-TH")
        page = context.new_page()
        sign_in_learner(page, make_learner())
        page.goto("/courses/getting-started/how-it-works/reading-a-lesson")
        table = page.locator(".lesson-body table")
        assert table.evaluate("t => t.scrollWidth > t.clientWidth")  # it is wider than the phone
        assert_accessible(page)  # axe: a scrolling region keyboards can reach; the page itself does not scroll
        table.focus()
        page.keyboard.press("ArrowRight")
        scrolled = table.evaluate("""t => new Promise(done => {  // the browser scrolls smoothly: wait for it
            const until = Date.now() + 5000;
            (function look() { t.scrollLeft > 0 || Date.now() > until ? done(t.scrollLeft) : setTimeout(look, 50); })();
        })""")
        assert scrolled > 0
        context.close()
