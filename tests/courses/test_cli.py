"""`flask courses check` and `flask courses load`, as authors and operators run them."""

import re

from civiclearn.config import ROOT
from tests.courses.test_reader import QUIZ, edit

PROBLEM_LINE = re.compile(r"^\S+:\d+: .+$")


def test_the_shipped_courses_pass_the_check(runner):
    result = runner.invoke(args=["courses", "check", str(ROOT / "courses")])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "0 problem(s)" in result.stderr


def test_check_defaults_to_the_configured_courses_folder(make_app, courses_dir):
    result = make_app(courses_dir).test_cli_runner().invoke(args=["courses", "check"])
    assert result.exit_code == 0
    assert "1 course(s) checked, 0 problem(s)." in result.stderr


def test_check_prints_every_problem_as_path_line_message_and_fails(runner, courses_dir):
    course = courses_dir / "getting-started"
    edit(course, "course.yml", "  en: Getting started with CivicLearn\n", "")
    line = edit(course, QUIZ, "      - id: ask-someone\n", "      - id: start-over\n")
    result = runner.invoke(args=["courses", "check", str(courses_dir)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and all(PROBLEM_LINE.match(line) for line in lines)
    assert lines[1].endswith(f'getting-started/{QUIZ}:{line}: duplicate id: choice "start-over" is already used in question "switch-language" (line {line - 7})')


def test_load_reports_each_course_and_fails_on_a_broken_one(runner, courses_dir):
    first = runner.invoke(args=["courses", "load", str(courses_dir)])
    assert first.exit_code == 0 and "getting-started: loaded (version 1)" in first.stderr
    again = runner.invoke(args=["courses", "load", str(courses_dir)])
    assert "getting-started: unchanged (version 1)" in again.stderr
    edit(courses_dir / "getting-started", QUIZ, "    answer: false\n", "")
    broken = runner.invoke(args=["courses", "load", str(courses_dir)])
    assert broken.exit_code == 1
    assert "has no correct answer" in broken.stdout and "getting-started: not loaded" in broken.stderr


def test_a_folder_without_courses_is_an_error(runner, tmp_path):
    result = runner.invoke(args=["courses", "check", str(tmp_path)])
    assert result.exit_code == 1
    assert "0 course(s) checked" in result.stderr
