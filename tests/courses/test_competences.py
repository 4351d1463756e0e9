"""The map of the curriculum against DigComp 2.2 (`flask courses competences`, docs/curriculum.md): made from
the modules' competences, checked against them, and reaching at least 18 of the 21 competences (issue 15)."""

import re

import pytest

from civiclearn.config import ROOT
from civiclearn.courses.competences import BEGIN, BY_CODE, END, competence_map, current_map, taught
from civiclearn.courses.store import check_courses
from tests.courses.test_reader import edit, problems

CURRICULUM = ROOT / "docs" / "curriculum.md"
UPDATE = "flask --app wsgi courses competences --update docs/curriculum.md"


@pytest.fixture(scope="module")
def shipped() -> list:
    checked = check_courses(ROOT / "courses")
    assert [str(problem) for _source, _course, found in checked for problem in found] == []
    return [course for _source, course, _found in checked]


def test_docs_curriculum_shows_the_map_of_the_course_files(shipped):
    written = current_map(CURRICULUM.read_text(encoding="utf-8"))
    assert written is not None, f"docs/curriculum.md lost its map markers: {BEGIN} ... {END}"
    assert written == competence_map(shipped), (
        f"docs/curriculum.md does not show the modules' competences as they are now: run `{UPDATE}` and commit it")


def test_the_curriculum_teaches_at_least_18_of_the_21_competences(shipped):
    reached = [code for code, modules in taught(shipped).items() if modules]
    assert len(BY_CODE) == 21
    assert len(reached) >= 18, f"only {len(reached)} of 21: {sorted(set(BY_CODE) - set(reached))} untaught"


def test_the_gaps_in_docs_are_the_competences_no_module_teaches(shipped):
    """docs/curriculum.md says what content each untaught competence needs: no more, no fewer."""
    gaps = CURRICULUM.read_text(encoding="utf-8").split("\n## Gaps\n", 1)
    assert len(gaps) == 2, "docs/curriculum.md needs a section ## Gaps"
    named = re.findall(r"^### (\d\.\d) ", gaps[1].split("\n## ", 1)[0], re.MULTILINE)
    untaught = [code for code, modules in taught(shipped).items() if not modules]
    assert named == untaught, "docs/curriculum.md's Gaps need one ### section per untaught competence, in order"


def row(output: str, label: str) -> dict[str, str]:
    """The row of the printed map whose first cell has `label` (a module's key in backquotes), by column header."""
    lines = output.splitlines()
    header = next(line for line in lines if line.startswith("| Module |"))
    found = next(line for line in lines if line.startswith("| ") and label in _cells(line)[0])
    return dict(zip(_cells(header), _cells(found), strict=True))


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split(" | ")]


def test_the_map_follows_a_modules_competences(runner, courses_dir):
    before = runner.invoke(args=["courses", "competences", str(courses_dir)])
    assert before.exit_code == 0, before.output
    assert row(before.stdout, "`take-part`")["5.4"] == "" and row(before.stdout, "`take-part`")["1.1"] == "✓"
    edit(courses_dir / "getting-started", "take-part/module.yml", "  - DigComp 1.1\n", "  - DigComp 5.4\n  - DQ use\n")
    after = runner.invoke(args=["courses", "competences", str(courses_dir)]).stdout
    cells = row(after, "`take-part`")
    assert [code for code in BY_CODE if cells[code]] == ["2.3", "5.4"] and cells["Other frameworks"] == "DQ use"
    counts = row(after, "Modules teaching it")
    assert (counts["1.1"], counts["2.3"], counts["5.4"]) == ("0", "1", "1")
    assert "taught: **3 of 21**" in after and "5.4 Identifying digital competence gaps" not in after


def test_update_writes_the_map_between_its_markers_only(runner, courses_dir, tmp_path):
    document = tmp_path / "curriculum.md"
    document.write_text(f"# Intro\n\n{BEGIN}\nan old map\n{END}\n\n## Gaps\n", encoding="utf-8")
    result = runner.invoke(args=["courses", "competences", str(courses_dir), "--update", str(document)])
    assert result.exit_code == 0, result.output
    assert "competence map updated (3 of 21 DigComp 2.2 competences taught)" in result.stderr
    printed = runner.invoke(args=["courses", "competences", str(courses_dir)]).stdout
    assert document.read_text(encoding="utf-8") == f"# Intro\n\n{printed}\n## Gaps\n"


def test_update_refuses_a_file_without_markers(runner, courses_dir, tmp_path):
    document = tmp_path / "curriculum.md"
    document.write_text("# Intro\n", encoding="utf-8")
    result = runner.invoke(args=["courses", "competences", str(courses_dir), "--update", str(document)])
    assert result.exit_code == 1 and "has no generated map to replace" in result.stderr
    assert document.read_text(encoding="utf-8") == "# Intro\n"


def test_a_course_with_problems_is_not_mapped(runner, courses_dir):
    line = edit(courses_dir / "getting-started", "take-part/module.yml", "  - DigComp 1.1\n", "  - DigComp 6.1\n")
    result = runner.invoke(args=["courses", "competences", str(courses_dir)])
    assert result.exit_code == 1 and "| Module |" not in result.stdout
    assert f"take-part/module.yml:{line}: " in result.stdout and "fix them first" in result.stderr


@pytest.mark.parametrize("code", ["DigComp 6.1", "DigComp 2.7", "DigComp 4.10", "Digcomp 4.1", "DigComp4.1",
                                  "DigComp 2.2.1"])
def test_the_checker_refuses_a_digcomp_code_that_names_no_competence(course, code):
    line = edit(course, "take-part/module.yml", "  - DigComp 1.1\n", f"  - {code}\n")
    assert problems(course) == [
        f'take-part/module.yml:{line}: "{code}" is not a DigComp 2.2 competence: write DigComp and one of '
        '1.1 to 1.3, 2.1 to 2.6, 3.1 to 3.4, 4.1 to 4.4, 5.1 to 5.4, such as "DigComp 4.1"']


def test_the_checker_refuses_a_wrong_digcomp_code_in_course_yml_too(course):
    line = edit(course, "course.yml", "  - DigComp 2.3\n", "  - DigComp 2.3\n  - DigComp 0.1\n") + 1
    assert problems(course) == [f'course.yml:{line}: "DigComp 0.1" is not a DigComp 2.2 competence: write DigComp '
                                'and one of 1.1 to 1.3, 2.1 to 2.6, 3.1 to 3.4, 4.1 to 4.4, 5.1 to 5.4, '
                                'such as "DigComp 4.1"']


def test_other_frameworks_codes_are_free_text(course):
    edit(course, "take-part/module.yml", "  - DigComp 1.1\n", "  - DigComp 1.1\n  - DQ use\n  - ONDE access\n")
    assert problems(course) == []
