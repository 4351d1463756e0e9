"""Quiz balance: the three figures the checker reports per course, their limits and the warnings past them."""

import pytest

from civiclearn.courses.quiz_balance import measure, right_is_longest, shown_length
from civiclearn.courses.reader import read_course
from civiclearn.courses.schema import Bilingual, Choice, Course, Module, Question, Quiz
from civiclearn.courses.sources import CourseSource
from tests.courses.test_reader import QUIZ, edit

TEXT = Bilingual("ข้อความ", "text")


def single(key: str, right: tuple[str, str], *wrong: tuple[str, str], line: int = 1) -> Question:
    choices = [Choice("right", Bilingual(*right), True, TEXT)]
    choices += [Choice(f"wrong-{index}", Bilingual(*text), False, TEXT) for index, text in enumerate(wrong)]
    return Question(key, "single", TEXT, choices, line)


def true_false(key: str, answer: bool, line: int = 1) -> Question:
    return Question(key, "true_false", TEXT,
                    [Choice("true", None, answer, TEXT), Choice("false", None, not answer, TEXT)], line)


def multiple(key: str, right: int, wrong: int, line: int = 1) -> Question:
    choices = [Choice(f"c{index}", TEXT, index < right, TEXT) for index in range(right + wrong)]
    return Question(key, "multiple", TEXT, choices, line)


def course_of(*quizzes: list[Question]) -> Course:
    """A course with one module per list of questions, each quiz in <module>/quiz.yml."""
    modules = [Module(f"m{index}", TEXT, TEXT, [], [], [],
                      Quiz(f"m{index}", TEXT, 60, list(questions), f"m{index}/quiz.yml"))
               for index, questions in enumerate(quizzes)]
    return Course("course", TEXT, TEXT, TEXT, [], 60, 1, modules)


def shown(path: str) -> str:
    return f"courses/course/{path}"


SHORT, LONG = ("สั้น", "short"), ("คำตอบที่ยาวกว่า", "a longer answer")


def test_thai_marks_above_and_below_a_letter_take_no_room():
    assert shown_length("ที่นี่") == 2 and len("ที่นี่") == 6
    assert shown_length("สวัสดี") == 4  # ั and ี sit above a letter
    assert shown_length("น้ำ") == 2  # ำ takes room of its own
    assert shown_length("Hello, you") == 10


def test_the_right_choice_is_longest_in_each_language_on_its_own_and_a_tie_counts_unless_all_are_as_long():
    thai_only = single("q", ("คำตอบที่ยาวมากกว่า", "no"), ("สั้น", "a much longer answer"))
    assert right_is_longest(thai_only, "th") and not right_is_longest(thai_only, "en")
    tie = single("q", ("abcd", "abcd"), ("dcba", "dcba"), ("ab", "ab"))
    assert right_is_longest(tie, "th") and right_is_longest(tie, "en")
    all_as_long = single("q", ("830261", "830261"), ("123456", "123456"), ("111111", "111111"))
    assert not right_is_longest(all_as_long, "th") and not right_is_longest(all_as_long, "en")


def test_the_worse_language_is_the_figure_that_counts():
    questions = [single("a", ("ยาวมากกว่านี้", "no"), SHORT), single("b", ("ยาวมากกว่านี้", "no"), SHORT),
                 single("c", ("สั้น", "a longer answer"), ("คำตอบที่ยาวกว่า", "short"))]
    balance = measure(course_of(questions))
    assert balance.worse_language == "th" and balance.longest_right_percent == 67
    assert [question.key for question in balance.longest_right["en"]] == ["c"]
    assert "2 of 3 single-choice questions (67%: th 67%, en 33%; at most 40%)" in balance.summary()


def test_at_most_40_percent_of_right_choices_may_be_the_longest_across_the_quizzes_of_a_course():
    at_limit = course_of([single("a", LONG, SHORT, line=5), single("b", SHORT, LONG)],
                         [single("c", LONG, SHORT), single("d", SHORT, LONG), single("e", SHORT, LONG)])
    assert measure(at_limit).within_limits() and measure(at_limit).warnings(shown) == []
    past = course_of([single("a", LONG, SHORT, line=5), single("b", SHORT, LONG)],
                     [single("c", LONG, SHORT, line=9), single("d", LONG, SHORT, line=20), single("e", SHORT, LONG)])
    balance = measure(past)
    assert not balance.within_limits()
    warnings = [str(warning) for warning in balance.warnings(shown)]
    assert [warning.split(": WARNING")[0] for warning in warnings] == [
        "courses/course/m0/quiz.yml:5", "courses/course/m1/quiz.yml:9", "courses/course/m1/quiz.yml:20"]
    assert warnings[0] == ('courses/course/m0/quiz.yml:5: WARNING: question "a": the right choice is the longest '
                           "(Thai and English); it is so in 3 of 5 single-choice questions of this course "
                           "(60%, at most 40%): lengthen a wrong choice or shorten the right one")


@pytest.mark.parametrize(("false", "true", "within"), [(7, 13, True), (13, 7, True), (6, 14, False), (14, 6, False),
                                                        (0, 0, True)])
def test_between_35_and_65_percent_of_true_false_answers_are_false(false, true, within):
    questions = [true_false(f"f{index}", False) for index in range(false)]
    questions += [true_false(f"t{index}", True) for index in range(true)]
    balance = measure(course_of(questions))
    assert balance.false_share_past_limits() is not within
    assert balance.within_limits() is within


def test_past_the_false_share_the_questions_with_the_common_answer_are_named():
    too_false = measure(course_of([true_false("f1", False, 3), true_false("f2", False, 8), true_false("t", True, 13)]))
    warnings = too_false.warnings(shown)
    assert [warning.line for warning in warnings] == [3, 8]
    assert 'question "f1": the answer is false, as in 2 of 3 true/false questions' in warnings[0].message
    too_true = measure(course_of([true_false("f", False, 3), true_false("t1", True, 8), true_false("t2", True, 13)]))
    assert [warning.line for warning in too_true.warnings(shown)] == [8, 13]
    assert "the answer is true, as in 2 of 3" in too_true.warnings(shown)[0].message


def test_every_choose_all_question_needs_two_wrong_choices():
    balance = measure(course_of([multiple("ok", right=2, wrong=2), multiple("one-wrong", right=3, wrong=1, line=30)]))
    assert [question.key for question in balance.few_wrong] == ["one-wrong"]
    [warning] = balance.warnings(shown)
    assert str(warning) == ('courses/course/m0/quiz.yml:30: WARNING: question "one-wrong": a choose-all question '
                            "needs at least 2 wrong choices, this one has 1: add a mistake learners really make")
    assert "1 of 2 choose-all questions have fewer than 2 wrong choices" in balance.summary()


def test_the_sample_course_is_balanced_and_reads_its_lines_from_the_quiz_file(course):
    found, _problems = read_course(CourseSource.from_directory(course))
    assert measure(found).within_limits()
    question = found.module("how-it-works").quiz.question("pin-safety")
    lines = (course / QUIZ).read_text(encoding="utf-8").splitlines()
    assert lines[question.line - 1] == "  - id: pin-safety"
    assert found.module("how-it-works").quiz.source_path == QUIZ


def test_check_prints_warnings_with_path_and_line_but_the_course_still_loads(runner, courses_dir):
    course = courses_dir / "getting-started"
    text = (course / QUIZ).read_text(encoding="utf-8")
    start, end = text.index("      - id: write-on-card\n"), text.index("      - id: easy-digits\n")
    (course / QUIZ).write_text(text[:start] + text[end:], encoding="utf-8")  # pin-safety keeps one wrong choice
    line = edit(course, QUIZ, "  - id: pin-safety\n", "  - id: pin-safety\n")
    checked = runner.invoke(args=["courses", "check", str(courses_dir)])
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.splitlines() == [
        f'{CourseSource.from_directory(course).shown(QUIZ)}:{line}: WARNING: question "pin-safety": a choose-all '
        "question needs at least 2 wrong choices, this one has 1: add a mistake learners really make"]
    assert "getting-started: the right choice is the longest in" in checked.stderr
    assert "1 course(s) checked, 0 problem(s). 1 warning(s)" in checked.stderr
    loaded = runner.invoke(args=["courses", "load", str(courses_dir)])
    assert loaded.exit_code == 0 and "getting-started: loaded (version 1)" in loaded.stderr
