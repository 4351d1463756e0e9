"""Report a local problem: a practice report reviewed for the four qualities of a good report."""

from civiclearn.courses.reader import read_course
from civiclearn.courses.sources import CourseSource
from tests.helpers import good_practice, submit, visible_text

URL = "/courses/getting-started/take-part/ways-to-take-part"


def test_a_weak_report_is_told_what_is_missing_and_does_not_count(client, learner, sample):
    html = submit(client, URL, {"category": "road", "photo": "dark", "place": "school", "description": "ไฟเสีย"},
                  form_id="practice-form").get_data(as_text=True)
    page = visible_text(html)
    assert "รายงานของคุณยังดีขึ้นได้อีก" in page
    assert html.count('class="check check-fail"') == 5
    assert "รูปมืดเกินไป" in page  # the reason given for the chosen photo
    assert "ยังไม่ถูกทุกข้อ แก้ตามคำแนะนำด้านบน" in page


def test_a_good_report_counts_and_is_sent_nowhere(client, learner, sample):
    lesson = sample.modules[1].lessons[1]
    page = visible_text(submit(client, URL, good_practice(lesson), form_id="practice-form").get_data(as_text=True))
    assert "รายงานของคุณมีครบทุกอย่างที่เจ้าหน้าที่ต้องการ" in page
    assert "ไม่ถูกส่งไปที่ไหนและไม่ถูกบันทึก" in page
    assert "เรียนจบแล้ว: ไปทำแบบทดสอบ" in page


def test_a_typed_place_is_as_good_as_the_map(client, learner, sample):
    lesson = sample.modules[1].lessons[1]
    data = {**good_practice(lesson), "place": "", "place_typed": "หน้าวัดบ้านโนนสูง"}
    page = visible_text(submit(client, URL, data, form_id="practice-form").get_data(as_text=True))
    assert "รายงานของคุณมีครบทุกอย่างที่เจ้าหน้าที่ต้องการ" in page


def test_the_checker_wants_one_right_category_and_a_clear_photo(courses_dir):
    lesson = courses_dir / "getting-started/take-part/ways-to-take-part.md"
    text = lesson.read_text(encoding="utf-8")
    road = "label: {th: ถนนชำรุด, en: Damaged road}"
    text = text.replace(road, f"{road}\n      right: true")
    lesson.write_text(text.replace("      clear: true\n", ""), encoding="utf-8")
    _course, problems = read_course(CourseSource.from_directory(courses_dir / "getting-started"))
    messages = [problem.message for problem in problems]
    assert "categories: mark exactly one category with right: true" in messages
    assert "photos: mark at least one photo with clear: true" in messages


def test_time_words_must_start_a_word_in_english():
    from civiclearn.courses.activities.report_problem import _mentions_when
    from civiclearn.courses.schema import Bilingual
    words = Bilingual(th="ตั้งแต่, สัปดาห์", en="ago, night, since")
    assert _mentions_when("The light has been out since Monday", words)
    assert _mentions_when("ไฟดับมาสองสัปดาห์แล้ว", words)
    assert not _mentions_when("The light by the pagoda is out", words)
    assert not _mentions_when("A knight statue is broken", words)
