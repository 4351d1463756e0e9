"""The course checker: one test per kind of problem, each reported as path:line: message."""

from pathlib import Path

from civiclearn.courses.reader import read_course
from civiclearn.courses.sources import CourseSource

MODULE = "how-it-works"
LESSON = f"{MODULE}/reading-a-lesson.md"
QUIZ = f"{MODULE}/quiz.yml"


def edit(course: Path, path: str, old: str, new: str, count: int = 1) -> int:
    """Replace `old` in a course file; return the 1-based line where the change starts."""
    file = course / path
    text = file.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not in {path}"
    line = text[:text.index(old)].count("\n") + 1
    file.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


def problems(course: Path) -> list[str]:
    found, problems = read_course(CourseSource.from_directory(course))
    assert (found is None) == bool(problems), "a course loads exactly when it has no problems"
    prefix = CourseSource.from_directory(course).shown("") + "/"
    return [str(problem).removeprefix(prefix) for problem in problems]


def test_the_sample_course_reads_without_problems(course):
    found, errors = read_course(CourseSource.from_directory(course))
    assert errors == []
    assert [len(module.lessons) for module in found.modules] == [3, 2]
    assert all(module.quiz for module in found.modules)
    kinds = {question.kind for quiz in found.quizzes() for question in quiz.questions}
    assert kinds == {"single", "multiple", "true_false"}


def test_missing_english_text_in_course_metadata(course):
    line = edit(course, "course.yml", "  en: Getting started with CivicLearn\n", "")
    assert problems(course) == [f"course.yml:{line - 1}: missing English (en) text in title"]


def test_missing_thai_section_in_a_lesson(course):
    text = (course / LESSON).read_text(encoding="utf-8")
    start, end = text.index("::: th"), text.index("::: en")
    (course / LESSON).write_text(text[:start] + text[end:], encoding="utf-8")
    assert problems(course) == [f"{LESSON}:7: missing Thai (th) text: add a ::: th section"]


def test_unknown_module_reference(course):
    line = edit(course, "course.yml", "  - take-part\n", "  - take-part\n  - no-such-module\n") + 1
    assert problems(course) == [
        f'course.yml:{line}: unknown reference: module "no-such-module" has no file no-such-module/module.yml'
    ]


def test_unknown_lesson_reference(course):
    line = edit(course, f"{MODULE}/module.yml", "  - quizzes\n", "  - quizzes\n  - missing-lesson\n") + 1
    assert problems(course) == [
        f'{MODULE}/module.yml:{line}: unknown reference: lesson "missing-lesson" has no file {MODULE}/missing-lesson.md'
    ]


def test_unknown_quiz_file(course):
    line = edit(course, f"{MODULE}/module.yml", "quiz: quiz.yml", "quiz: final.yml")
    assert problems(course) == [f"{MODULE}/module.yml:{line}: unknown reference: quiz file 'final.yml' is not in {MODULE}/"]


def test_quiz_question_without_a_correct_answer(course):
    edit(course, QUIZ, "        correct: true\n        text:\n          th: กดปุ่ม English", "        text:\n          th: กดปุ่ม English")
    text = (course / QUIZ).read_text(encoding="utf-8")
    line = text[:text.index("    choices:")].count("\n") + 1
    assert problems(course) == [
        f'{QUIZ}:{line}: question "switch-language" has no correct answer: mark one choice with correct: true'
    ]


def test_true_false_question_without_an_answer(course):
    line = edit(course, QUIZ, "    answer: false\n", "")
    assert problems(course) == [
        f'{QUIZ}:{line - 5}: question "retry" has no correct answer: set answer: true or answer: false'
    ]


def test_single_choice_question_with_two_correct_answers(course):
    edit(course, QUIZ, "      - id: start-over\n", "      - id: start-over\n        correct: true\n")
    assert any('question "switch-language" is single choice but has 2 correct choices' in p for p in problems(course))


def test_duplicate_lesson_id_across_modules(course):
    line = edit(course, "take-part/module.yml", "  - ways-to-take-part\n", "  - ways-to-take-part\n  - quizzes\n") + 1
    assert problems(course) == [
        f'take-part/module.yml:{line}: duplicate id: lesson "quizzes" is already in module "how-it-works"'
    ]


def test_duplicate_question_id(course):
    line = edit(course, QUIZ, "  - id: retry\n", "  - id: pin-safety\n")
    assert problems(course)[0].startswith(f'{QUIZ}:{line}: duplicate id: question "pin-safety" is already used in this quiz (line ')


def test_duplicate_choice_id(course):
    line = edit(course, QUIZ, "      - id: ask-someone\n", "      - id: start-over\n")
    assert problems(course) == [f'{QUIZ}:{line}: duplicate id: choice "start-over" is already used in question "switch-language" (line {line - 7})']


def test_duplicate_module_in_course(course):
    line = edit(course, "course.yml", "  - take-part\n", "  - take-part\n  - how-it-works\n") + 1
    assert problems(course) == [f'course.yml:{line}: duplicate id: module "how-it-works" is already listed on line {line - 2}']


def test_unsafe_html_block(course):
    line = edit(course, LESSON, "## ไปบทต่อไป\n", "<script>alert('hi')</script>\n\n## ไปบทต่อไป\n")
    assert problems(course) == [f"{LESSON}:{line}: unsafe HTML: <script> is not allowed"]


def test_unsafe_html_attribute_inline(course):
    line = edit(course, LESSON, "กด <kbd>Tab</kbd>", 'กด <kbd onclick="steal()">Tab</kbd>')
    assert problems(course) == [f'{LESSON}:{line}: unsafe HTML: attribute "onclick" on <kbd> is not allowed']


def test_missing_image(course):
    line = edit(course, LESSON, "(../images/language-switch.svg)", "(../images/no-such-picture.svg)")
    assert problems(course) == [
        f"{LESSON}:{line}: missing image: ../images/no-such-picture.svg (looked for "
        f"{CourseSource.from_directory(course).shown('images/no-such-picture.svg')})"
    ]


def test_image_without_alt_text(course):
    line = edit(course, LESSON, "![The top of the screen: the name CivicLearn on the left, the buttons ไทย and English on the right]", "![]")
    assert problems(course) == [
        f"{LESSON}:{line}: image ../images/language-switch.svg has no English (en) alt text: describe it in ![...]"
    ]


def test_image_from_the_web_or_outside_the_course(course):
    edit(course, LESSON, "(../images/language-switch.svg)", "(https://example.com/a.png)")
    edit(course, LESSON, "(../images/language-switch.svg)", "(../../../secret.png)")
    found = [p for p in problems(course) if "must be a file in the course folder, not a web address or a path outside it" in p]
    assert len(found) == 2


def test_yaml_syntax_error_names_the_line(course):
    line = edit(course, "course.yml", "pass_mark: 60", "pass_mark: [60")
    assert problems(course)[0].startswith(f"course.yml:{line + 1}: YAML syntax error:")


def test_unknown_field_catches_typos(course):
    line = edit(course, f"{MODULE}/module.yml", "summary:", "sumary:")
    assert f'{MODULE}/module.yml:{line}: unknown field "sumary"' in problems(course)[0]
    assert f"{MODULE}/module.yml:1: missing summary (needs th and en)" in problems(course)


def test_text_outside_a_language_section(course):
    line = edit(course, LESSON, "::: en\n", "Stray words\n::: en\n")
    assert problems(course) == [f"{LESSON}:{line}: text outside a ::: th or ::: en section"]


def test_level_one_heading_repeats_the_title(course):
    line = edit(course, LESSON, "## เปลี่ยนภาษาได้ทุกหน้า", "# เปลี่ยนภาษาได้ทุกหน้า")
    assert problems(course)[0] == f"{LESSON}:{line}: a level-1 heading (#) would repeat the page title; use ## and below"


def test_file_that_is_not_utf8(course):
    (course / LESSON).write_bytes("สวัสดี".encode("cp874"))
    assert f"{LESSON}:1: file is not UTF-8 text" in problems(course)


def test_every_problem_is_reported_not_only_the_first(course):
    edit(course, "course.yml", "  en: Getting started with CivicLearn\n", "")
    edit(course, LESSON, "## ไปบทต่อไป\n", "<iframe src=x></iframe>\n\n## ไปบทต่อไป\n")
    edit(course, QUIZ, "      - id: ask-someone\n", "      - id: start-over\n")
    assert len(problems(course)) == 3


def test_a_lesson_file_nobody_listed_is_reported(course):
    (course / f"{MODULE}/draft.md").write_text((course / LESSON).read_text(encoding="utf-8"), encoding="utf-8")
    assert problems(course) == [f"{MODULE}/draft.md:1: lesson file draft.md is not listed in {MODULE}/module.yml: add it to lessons, or remove the file"]


def test_a_module_folder_nobody_listed_is_reported(course):
    edit(course, "course.yml", "  - take-part\n", "")
    found = problems(course)
    assert found[0] == 'take-part/module.yml:1: module folder "take-part" is not listed in course.yml: add it to modules, or remove the folder'
    assert "images/take-part.svg:1: file is not used by any lesson: move it out of the course folder" in found[1:]


def test_a_text_yaml_reads_as_a_number_must_be_quoted(course):
    line = edit(course, f"{MODULE}/module.yml", "    en: switch the screen between Thai and English", "    en: 2569")
    assert problems(course) == [f"{MODULE}/module.yml:{line}: English (en) text in objective must be text: put it in quotes"]


def test_fields_of_another_question_type_are_reported(course):
    line = edit(course, QUIZ, "    type: true_false\n", "    type: true_false\n    choices: []\n") + 1
    assert problems(course) == [f'{QUIZ}:{line}: question "retry": choices belongs to single or multiple questions, not true_false']


def test_true_false_explanations_have_only_true_and_false(course):
    line = edit(course, QUIZ, "      false:\n        th: ถูกต้อง อ่านคำอธิบาย", "      maybe: {th: x, en: y}\n      false:\n        th: ถูกต้อง อ่านคำอธิบาย")
    assert problems(course) == [f'{QUIZ}:{line}: question "retry": explanations has only true and false, not "maybe"']


def test_image_file_names_may_use_thai_letters_and_spaces(course):
    (course / "images/language-switch.svg").rename(course / "images/ปุ่ม ภาษา.svg")
    edit(course, LESSON, "(../images/language-switch.svg)", "(<../images/ปุ่ม ภาษา.svg>)", count=1)
    edit(course, LESSON, "(../images/language-switch.svg)", "(../images/ปุ่ม%20ภาษา.svg)")
    found, errors = read_course(CourseSource.from_directory(course))
    assert errors == [] and "images/ปุ่ม ภาษา.svg" in found.media


def test_a_file_no_lesson_shows_is_reported_because_it_could_be_published(course):
    (course / "private").mkdir()
    (course / "private/id-card-scan.jpg").write_bytes(b"not for the public")
    assert problems(course) == ["private/id-card-scan.jpg:1: file is not used by any lesson: move it out of the course folder"]


def test_thai_and_english_must_have_the_same_structure(course):
    line = edit(course, LESSON, "## ไปบทต่อไป\n", "- ข้อแรก\n- ข้อสอง\n\n## ไปบทต่อไป\n")
    english = (course / LESSON).read_text(encoding="utf-8").splitlines().index("## Go to the next lesson") + 1
    assert problems(course) == [f"{LESSON}:{line}: Thai and English differ in structure: Thai has list (line {line}) "
                                f"where English has heading 2 (line {english})"]
