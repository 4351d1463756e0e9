"""Checking and loading speed: a generated course of 50 modules (250 lessons, 50 quizzes), and the shipped courses.

Goal (issue 2): loading and validating 50 modules in under 2 s.
Run: .venv/bin/python benchmarks/load_courses.py
"""

import shutil
import tempfile
import time
from pathlib import Path

from common import benchmark_app

from civiclearn.config import ROOT
from civiclearn.courses.store import check_courses, load_courses

MODULES = 50
SAMPLE = ROOT / "courses" / "getting-started"


def write_big_course(folder: Path) -> int:
    """50 modules made from the sample's first module (5 lessons, 1 quiz each); returns the lesson count."""
    course = folder / "big-course"
    source = SAMPLE / "how-it-works"
    lesson_texts = "".join(path.read_text(encoding="utf-8") for path in source.glob("*.md"))
    (course / "images").mkdir(parents=True)
    for picture in (SAMPLE / "images").iterdir():
        if picture.name in lesson_texts:  # only the pictures the copied lessons show
            shutil.copy(picture, course / "images" / picture.name)
    lessons = sorted(path.stem for path in source.glob("*.md"))
    lessons += [f"{name}-again" for name in lessons[:2]]
    modules = []
    for number in range(1, MODULES + 1):
        module = course / f"module-{number}"
        module.mkdir()
        keys = [f"m{number}-{name}" for name in lessons]
        for key, name in zip(keys, lessons, strict=True):
            text = (source / f"{name.removesuffix('-again')}.md").read_text(encoding="utf-8")
            (module / f"{key}.md").write_text(text, encoding="utf-8")
        shutil.copy(source / "quiz.yml", module / "quiz.yml")
        module_yml = (source / "module.yml").read_text(encoding="utf-8").split("lessons:")[0]
        (module / "module.yml").write_text(module_yml + "lessons:\n" + "".join(f"  - {k}\n" for k in keys)
                                           + "quiz: quiz.yml\n", encoding="utf-8")
        modules.append(f"module-{number}")
    course_yml = (SAMPLE / "course.yml").read_text(encoding="utf-8").split("modules:")[0]
    (course / "course.yml").write_text(course_yml + "modules:\n" + "".join(f"  - {m}\n" for m in modules),
                                       encoding="utf-8")
    return MODULES * len(lessons)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        lessons = write_big_course(Path(folder))
        start = time.perf_counter()
        checked = check_courses(Path(folder))
        check_seconds = time.perf_counter() - start
        assert checked[0][2] == [], checked[0][2][:3]
        with benchmark_app(Path(folder)) as app, app.app_context():
            start = time.perf_counter()
            results = load_courses(Path(folder))
            load_seconds = time.perf_counter() - start
            assert [result.status for result in results] == ["loaded"]
            start = time.perf_counter()
            again = load_courses(Path(folder))
            reload_seconds = time.perf_counter() - start
            assert [result.status for result in again] == ["unchanged"]
    print(f"{MODULES} modules, {lessons} lessons, {MODULES} quizzes: check {check_seconds:.2f} s, "
          f"check + load into the database {load_seconds:.2f} s (goal: under 2 s), "
          f"re-load of unchanged files {reload_seconds:.2f} s")
    shipped = ROOT / "courses"
    with benchmark_app(shipped) as app, app.app_context():
        start = time.perf_counter()
        results = load_courses(shipped)
        seconds = time.perf_counter() - start
    assert all(result.status == "loaded" for result in results)
    courses = [course for _source, course, _problems in check_courses(shipped)]
    print(f"the shipped courses ({len(courses)} courses, {sum(len(c.modules) for c in courses)} modules, "
          f"{sum(len(c.lessons()) for c in courses)} lessons): check + load {seconds:.2f} s")


if __name__ == "__main__":
    main()
