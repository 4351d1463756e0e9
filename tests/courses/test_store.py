"""Loading courses: all-or-nothing, idempotent, progress kept across edits, last good version served."""

import shutil

from sqlalchemy import func, select

from civiclearn.courses.models import CourseRecord, LessonRecord, ModuleRecord, QuizRecord
from civiclearn.extensions import db
from civiclearn.learning.models import LessonProgress
from tests.courses.test_reader import LESSON, edit
from tests.helpers import submit, visible_text

LESSON_URL = "/courses/getting-started/how-it-works/reading-a-lesson"


def counts(app) -> dict:
    with app.app_context():
        return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
                for model in (CourseRecord, ModuleRecord, LessonRecord, QuizRecord)}


def lesson_row(app, key: str) -> LessonRecord:
    with app.app_context():
        return db.session.scalar(select(LessonRecord).where(LessonRecord.key == key))


def version(app) -> int:
    with app.app_context():
        return db.session.scalar(select(CourseRecord.version))


def test_reloading_unchanged_files_changes_nothing(app, courses_dir, load_courses):
    first = load_courses(courses_dir)
    before = counts(app)
    second = load_courses(courses_dir)
    assert [(r.status, r.version) for r in first] == [("loaded", 1)]
    assert [(r.status, r.version) for r in second] == [("unchanged", 1)]
    assert counts(app) == before == {"CourseRecord": 1, "ModuleRecord": 2, "LessonRecord": 5, "QuizRecord": 2}


def test_an_edited_lesson_keeps_learners_progress(app, client, courses_dir, load_courses, make_learner, sign_in):
    load_courses(courses_dir)
    sign_in(make_learner())
    submit(client, LESSON_URL, {}, action=f"{LESSON_URL}/complete")
    before = lesson_row(app, "reading-a-lesson")

    edit(courses_dir / "getting-started", LESSON, "แต่ละบทเรียนสั้น", "บทเรียนแก้ไขใหม่ แต่ละบทเรียนสั้น")
    assert [(r.status, r.version) for r in load_courses(courses_dir)] == [("loaded", 2)]

    after = lesson_row(app, "reading-a-lesson")
    assert after.id == before.id
    with app.app_context():
        progress = db.session.scalar(select(LessonProgress).where(LessonProgress.lesson_id == after.id))
        assert progress.completed_at is not None
    page = visible_text(client.get(LESSON_URL).get_data(as_text=True))
    assert "บทเรียนแก้ไขใหม่" in page
    assert "เรียนไปแล้ว 1 จาก 4 ขั้น" in page


def test_a_broken_edit_is_not_loaded_and_the_last_good_version_is_served(app, client, courses_dir, load_courses,
                                                                         make_learner, sign_in):
    load_courses(courses_dir)
    sign_in(make_learner())
    course = courses_dir / "getting-started"
    edit(course, LESSON, "แต่ละบทเรียนสั้น", "ข้อความที่ยังไม่ควรเห็น")
    edit(course, "how-it-works/module.yml", "  - quizzes\n", "  - quizzes\n  - not-written-yet\n")

    results = load_courses(courses_dir)
    assert [r.status for r in results] == ["not loaded"]
    assert "unknown reference" in results[0].problems[0].message
    assert version(app) == 1
    assert counts(app)["LessonRecord"] == 5
    page = visible_text(client.get(LESSON_URL).get_data(as_text=True))
    assert "แต่ละบทเรียนสั้น" in page and "ข้อความที่ยังไม่ควรเห็น" not in page


def test_a_broken_course_writes_nothing_while_good_courses_load(app, courses_dir, load_courses):
    shutil.copytree(courses_dir / "getting-started", courses_dir / "second-course")
    edit(courses_dir / "second-course", "take-part/quiz.yml", "    answer: true\n", "")
    results = {r.key: r.status for r in load_courses(courses_dir)}
    assert results == {"getting-started": "loaded", "second-course": "not loaded"}
    assert counts(app) == {"CourseRecord": 1, "ModuleRecord": 2, "LessonRecord": 5, "QuizRecord": 2}


def test_a_removed_lesson_is_retired_with_its_progress_and_comes_back_with_the_same_id(
        app, client, courses_dir, load_courses, make_learner, sign_in):
    load_courses(courses_dir)
    sign_in(make_learner())
    submit(client, LESSON_URL, {}, action=f"{LESSON_URL}/complete")
    original = lesson_row(app, "reading-a-lesson")
    module_file = courses_dir / "getting-started/how-it-works/module.yml"
    lesson_file = courses_dir / f"getting-started/{LESSON}"
    text, lesson_text = module_file.read_text(encoding="utf-8"), lesson_file.read_text(encoding="utf-8")
    module_file.write_text(text.replace("  - reading-a-lesson\n", ""), encoding="utf-8")
    lesson_file.unlink()
    picture = courses_dir / "getting-started/images/language-switch.svg"
    picture.rename(courses_dir / "language-switch.svg")  # only that lesson showed it

    load_courses(courses_dir)
    assert lesson_row(app, "reading-a-lesson").retired_at is not None
    assert client.get(LESSON_URL).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LessonProgress)) == 1

    module_file.write_text(text, encoding="utf-8")
    lesson_file.write_text(lesson_text, encoding="utf-8")
    (courses_dir / "language-switch.svg").rename(picture)
    load_courses(courses_dir)
    restored = lesson_row(app, "reading-a-lesson")
    assert restored.id == original.id and restored.retired_at is None
    assert "เรียนไปแล้ว 1 จาก 4 ขั้น" in visible_text(client.get(LESSON_URL).get_data(as_text=True))


def test_a_lesson_moved_to_another_module_keeps_its_id(app, courses_dir, load_courses):
    load_courses(courses_dir)
    before = lesson_row(app, "quizzes")
    course = courses_dir / "getting-started"
    edit(course, "how-it-works/module.yml", "  - quizzes\n", "")
    edit(course, "take-part/module.yml", "  - ways-to-take-part\n", "  - ways-to-take-part\n  - quizzes\n")
    shutil.move(course / "how-it-works/quizzes.md", course / "take-part/quizzes.md")
    load_courses(courses_dir)
    after = lesson_row(app, "quizzes")
    assert after.id == before.id and after.module_id != before.module_id and after.position == 3


def test_every_app_process_picks_up_a_new_version(make_app, courses_dir, load_courses, app, make_learner):
    """Two apps on one database stand for two gunicorn workers: a load in one reaches the other."""
    load_courses(courses_dir)
    other = make_app(courses_dir)
    learner = make_learner()
    reader = other.test_client()
    submit(reader, "/sign-in", {"code": learner.code, "pin": learner.pin})
    assert "แต่ละบทเรียนสั้น" in visible_text(reader.get(LESSON_URL).get_data(as_text=True))

    edit(courses_dir / "getting-started", LESSON, "แต่ละบทเรียนสั้น", "ฉบับปรับปรุง")
    load_courses(courses_dir)  # in the first app
    assert "ฉบับปรับปรุง" in visible_text(reader.get(LESSON_URL).get_data(as_text=True))


def test_a_retired_course_leaves_the_site_and_a_load_brings_it_back(app, runner, client, courses_dir, load_courses):
    load_courses(courses_dir)
    assert runner.invoke(args=["courses", "retire", "getting-started"]).exit_code == 0
    assert client.get("/courses/getting-started").status_code == 404
    assert "getting-started" not in client.get("/courses").get_data(as_text=True)
    assert runner.invoke(args=["courses", "retire", "getting-started"]).exit_code == 1
    assert [r.status for r in load_courses(courses_dir)] == ["loaded"]
    assert client.get("/courses/getting-started").status_code == 200


def test_a_changed_picture_makes_a_new_version_and_a_new_image_url(app, client, courses_dir, load_courses, learner):
    load_courses(courses_dir)
    before = client.get(LESSON_URL).get_data(as_text=True)
    picture = courses_dir / "getting-started/images/language-switch.svg"
    picture.write_text(picture.read_text().replace("#083d6d", "#000000"))
    assert [(r.status, r.version) for r in load_courses(courses_dir)] == [("loaded", 2)]
    after = client.get(LESSON_URL).get_data(as_text=True)
    image = 'src="/courses/getting-started/media/images/language-switch.svg?v='
    assert image in before and image in after
    assert before.split(image)[1][:12] != after.split(image)[1][:12]
