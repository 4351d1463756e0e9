"""The benchmark scripts stay runnable: the course they generate is a valid one."""

import sys

from civiclearn.config import ROOT
from civiclearn.courses.store import check_courses


def test_the_generated_benchmark_course_checks_clean(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import load_courses
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    lessons = load_courses.write_big_course(tmp_path)
    [(_source, course, problems)] = check_courses(tmp_path)
    assert problems == []
    assert len(course.modules) == load_courses.MODULES and len(course.lessons()) == lessons == 250
