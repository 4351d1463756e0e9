"""The whole learner loop through the pages: register, read, fail a quiz, retry, pass, finish a module."""

import re

from civiclearn.learning.forms import field_name
from tests.helpers import answer_quiz, finish_lesson, show_all_questions, submit, visible_text

COURSE = "/courses/getting-started"


def answers(quiz, right: bool) -> dict:
    """Form data answering every question right, or every question wrong."""
    data = {}
    for question in quiz.questions:
        keys = question.correct_keys if right else [c.key for c in question.choices if not c.correct][:1]
        data[field_name(question)] = sorted(keys)
    return data


def test_new_learner_completes_a_module(client, sample):
    response = submit(client, "/register", {"display_name": "  สมศรี   ใจดี ", "pin": "4826", "pin_confirm": "4826",
                                          "consent": "y"})
    assert response.status_code == 303 and response.headers["Location"] == "/card"
    card = visible_text(client.get("/card").get_data(as_text=True))
    assert re.search(r"\b[ACEFHJKMNPRTWXY3479]{3}-[ACEFHJKMNPRTWXY3479]{3}\b", card)
    assert "สมศรี ใจดี" in card  # the name, tidied, in the header

    home = visible_text(client.get("/").get_data(as_text=True))
    assert "เริ่มที่ไหนดี" in home  # nothing started yet: no "continue" button

    module = sample.modules[0]
    first = f"{COURSE}/{module.key}/{module.lessons[0].key}"
    page = visible_text(client.get(first).get_data(as_text=True))
    assert module.lessons[0].title.th in page
    assert "เรียนไปแล้ว 0 จาก 4 ขั้น" in page

    # "Done" on each lesson (after its practice, if it has one) leads to the next one, then to the quiz
    for index, lesson in enumerate(module.lessons):
        following = module.lessons[index + 1].key if index + 1 < len(module.lessons) else "quiz"
        assert finish_lesson(client, lesson) == f"{COURSE}/{module.key}/{following}"

    quiz_url = f"{COURSE}/{module.key}/quiz"
    failed = answer_quiz(client, quiz_url, answers(module.quiz, right=False))
    assert failed.status_code == 303
    result = visible_text(client.get(failed.headers["Location"]).get_data(as_text=True))
    assert f"ตอบถูก 0 จาก {len(module.quiz.questions)} ข้อ (0%)" in result
    assert "ทำแบบทดสอบอีกครั้ง" in result
    for question in module.quiz.questions:  # why each choice is right or wrong
        for choice in question.choices:
            assert choice.explanation.th in result

    passed = answer_quiz(client, quiz_url, answers(module.quiz, right=True))
    result = visible_text(client.get(passed.headers["Location"]).get_data(as_text=True))
    assert "(100%)" in result and "ผ่านแล้ว เก่งมาก!" in result
    assert "จบหน่วยนี้" in result

    done = client.get(f"{COURSE}/{module.key}/done")
    assert done.status_code == 200
    assert "เรียนจบหน่วยนี้แล้ว!" in visible_text(done.get_data(as_text=True))

    home = visible_text(client.get("/").get_data(as_text=True))
    next_lesson = sample.modules[1].lessons[0]
    assert f"เรียนต่อ: {next_lesson.title.th}" in home
    assert "เรียนจบ 1 จาก 2 หน่วย" in home


def test_module_done_page_waits_for_every_step(client, learner, sample):
    module = sample.modules[0]
    response = client.get(f"{COURSE}/{module.key}/done")
    assert response.status_code == 303
    assert response.headers["Location"] == f"{COURSE}/{module.key}"
    assert "หน่วยนี้ยังเรียนไม่จบ" in visible_text(client.get(response.headers["Location"]).get_data(as_text=True))


def test_continue_goes_back_to_an_unfinished_lesson(client, learner, sample):
    module = sample.modules[1]
    lesson = module.lessons[1]
    client.get(f"{COURSE}/{module.key}/{lesson.key}")
    home = client.get("/").get_data(as_text=True)
    assert f'href="{COURSE}/{module.key}/{lesson.key}"' in home
    assert f"เรียนต่อ: {lesson.title.th}" in visible_text(home)


def test_quiz_needs_every_answer_and_says_so_next_to_the_question(client, learner, sample):
    """All questions on one page (one at a time: tests/learning/test_quiz_steps.py)."""
    module = sample.modules[0]
    data = answers(module.quiz, right=True)
    skipped = field_name(module.quiz.questions[1])
    del data[skipped]
    show_all_questions(client, f"{COURSE}/{module.key}/quiz")
    response = submit(client, f"{COURSE}/{module.key}/quiz", data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    error = re.search(rf'<p class="error-message" id="{skipped}-error">(.*?)</p>', html, re.S)
    assert error and "กรุณาเลือกอย่างน้อยหนึ่งคำตอบ" in error.group(1)
    assert re.search(r'<div class="error-summary"[^>]*>.*<li><a href="#question-2">ข้อที่ 2 ยังไม่ได้ตอบ</a></li>', html,
                     re.S)
    # the answers already chosen are still chosen
    first = module.quiz.questions[0]
    chosen = sorted(first.correct_keys)[0]
    assert re.search(rf'<input[^>]*checked[^>]*value="{chosen}"|<input[^>]*value="{chosen}"[^>]*checked', html)


def test_lesson_page_shows_position_progress_and_one_way_forward(client, learner, sample):
    module = sample.modules[0]
    middle = module.lessons[1]
    html = client.get(f"{COURSE}/{module.key}/{middle.key}").get_data(as_text=True)
    text = visible_text(html)
    assert f"บทที่ 2 จาก {len(module.lessons)}" in text
    assert f"ก่อนหน้า: {module.lessons[0].title.th}" in text
    assert 'rel="next"' not in html  # going forward always records the lesson: only "Done" does it
    assert middle.activity and "/complete" not in html  # a practice lesson counts once its practice is done
    assert "ทำแบบฝึกด้านบนให้เสร็จก่อน แล้วจึงไปต่อได้" in text
    assert re.search(r'<progress id="module-progress" max="4" value="0">', html)
    last = visible_text(client.get(f"{COURSE}/{module.key}/{module.lessons[2].key}").get_data(as_text=True))
    assert "เรียนจบแล้ว: ไปทำแบบทดสอบ" in last


def done(client, module, lesson):
    return finish_lesson(client, lesson)


def test_done_leads_to_the_next_unfinished_step_of_the_module(client, learner, sample):
    from tests.helpers import finish_module
    module = sample.modules[0]
    first, second, last = module.lessons
    assert done(client, module, last) == f"{COURSE}/{module.key}/quiz"
    assert done(client, module, second) == f"{COURSE}/{module.key}/quiz"
    finish_module(client, module)  # passes the quiz; every lesson is done now
    assert done(client, module, first) == f"{COURSE}/{module.key}/done"


def test_done_after_passing_the_quiz_first_finishes_the_module(client, learner, sample):
    module = sample.modules[0]
    answer_quiz(client, f"{COURSE}/{module.key}/quiz", answers(module.quiz, right=True))
    for lesson in module.lessons[:-1]:
        done(client, module, lesson)
    last = f"{COURSE}/{module.key}/{module.lessons[-1].key}"
    assert "เรียนจบแล้ว: จบหน่วยนี้" in visible_text(client.get(last).get_data(as_text=True))
    assert done(client, module, module.lessons[-1]) == f"{COURSE}/{module.key}/done"


def test_unknown_course_module_and_lesson_are_friendly_404s(client, learner, sample):
    for url in ("/courses/nope", f"{COURSE}/nope", f"{COURSE}/{sample.modules[0].key}/nope", "/attempts/999999"):
        response = client.get(url)
        assert response.status_code == 404
        assert "ไม่พบหน้านี้" in visible_text(response.get_data(as_text=True))


def test_a_pass_counts_even_if_the_pass_mark_is_raised_later(app, client, learner, courses_dir, load_courses):
    from civiclearn.courses.store import catalogue
    from tests.courses.test_reader import edit
    load_courses(courses_dir)
    with app.test_request_context():
        module = catalogue().course("getting-started").modules[1]
    for lesson in module.lessons:
        finish_lesson(client, lesson)
    three_of_four = answers(module.quiz, right=True)
    first = field_name(module.quiz.questions[0])
    three_of_four[first] = answers(module.quiz, right=False)[first]
    result = answer_quiz(client, f"{COURSE}/{module.key}/quiz", three_of_four)
    assert "(75%)" in visible_text(client.get(result.headers["Location"]).get_data(as_text=True))
    assert client.get(f"{COURSE}/{module.key}/done").status_code == 200

    edit(courses_dir / "getting-started", "take-part/quiz.yml", "pass_mark: 75", "pass_mark: 100")
    assert [r.version for r in load_courses(courses_dir)] == [2]
    assert client.get(f"{COURSE}/{module.key}/done").status_code == 200


def test_learner_pages_show_no_framework_codes_and_no_doubled_quiz_word(client, learner, sample, make_staff,
                                                                        staff_sign_in, app):
    """DigComp, DQ and DLGF codes are for staff (and the teacher guides); a quiz title already says it is one."""
    module = sample.modules[0]
    for url in (COURSE, f"{COURSE}/{module.key}"):
        page = visible_text(client.get(url).get_data(as_text=True))
        assert "DigComp" not in page and "DLGF" not in page, url
    module_page = visible_text(client.get(f"{COURSE}/{module.key}").get_data(as_text=True))
    assert module.quiz.title.th in module_page and "แบบทดสอบ: แบบทดสอบ" not in module_page
    staff = app.test_client()
    staff_sign_in(make_staff("admin"), on=staff)
    assert "DigComp" in visible_text(staff.get(COURSE).get_data(as_text=True))


def test_the_module_page_has_one_clear_start_then_continue_button(client, learner, sample):
    module = sample.modules[0]
    url = f"{COURSE}/{module.key}"
    first = client.get(url).get_data(as_text=True)
    [button] = re.findall(r'<a class="button button-large" href="([^"]+)">([^<]+)</a>', first)
    assert button == (f"{url}/{module.lessons[0].key}", "เริ่มเรียนหน่วยนี้")
    finish_lesson(client, module.lessons[0])
    [button] = re.findall(r'<a class="button button-large" href="([^"]+)">([^<]+)</a>',
                          client.get(url).get_data(as_text=True))
    assert button == (f"{url}/{module.lessons[1].key}", "เรียนหน่วยนี้ต่อ")
