"""The benchmark scripts stay runnable: the course they generate is valid, the load test's learners get through."""

import importlib
import os
import re
import subprocess
import sys

from civiclearn.config import ROOT
from civiclearn.courses.store import check_courses


def benchmark_script(name: str):
    """A script of benchmarks/ as a module (its folder is on the path only while it is imported)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))


def test_the_generated_benchmark_course_checks_clean(tmp_path):
    load_courses = benchmark_script("load_courses")
    lessons = load_courses.write_big_course(tmp_path)
    [(_source, course, problems)] = check_courses(tmp_path)
    assert problems == []
    assert len(course.modules) == load_courses.MODULES and len(course.lessons()) == lessons == 250


def test_the_load_test_takes_learners_through_every_step():
    """benchmarks/load.py against a real gunicorn, briefly: its learners get through signing in, lessons and their
    practice activities, a quiz one question at a time and signing out with no error, everything answered stored
    and every quiz passed (the script exits non-zero otherwise). It broke once, silently, when quizzes went one
    question at a time."""
    options = ["--learners", "2", "--minutes", "0.25", "--think", "0", "0.1", "--arrival", "5"]
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "load.py"), *options], capture_output=True,
                         text=True, timeout=180, cwd=ROOT, env={**os.environ, "BENCHMARK_DATABASE_URL": ""})
    assert run.returncode == 0, run.stdout + run.stderr
    assert " 0 errors in the whole run" in run.stdout and "Traceback" not in run.stderr, run.stdout + run.stderr
    answered = re.search(r"(\d+) lessons answered Done, 0 missing; (\d+) quizzes answered", run.stdout)
    assert answered and int(answered.group(1)) > 0 and int(answered.group(2)) > 0, run.stdout
    practised = re.findall(r"^practice +(\d+) +0 ", run.stdout, re.M)  # its count, no error
    assert practised and sum(int(count) for count in practised) > 0, run.stdout
    load = re.search(r"^load: the ([\d.]+) requests/s of (\d+) learners as the goals count them", run.stdout, re.M)
    assert load and abs(int(load.group(2)) - float(load.group(1)) * 300 / 77) < 1, run.stdout  # 300 sent 77 a second


def test_the_ratio_benchmark_sends_the_cookie_a_browser_keeps(app, sample):
    """wrk keeps no cookie: benchmarks/hello_ratio.py sends each learner's over and over, so it must be the one their
    browser holds by then. One the server has to write anew (without its form token yet, or marked as from
    another browser) would be written on every page, a cost no learner's browser asks for. A lesson read with it,
    from the same browser, sends no new cookie."""
    hello_ratio = benchmark_script("hello_ratio")
    [cookie] = hello_ratio.learner_cookies(app, 1)
    module = sample.modules[0]
    client = app.test_client()
    client.set_cookie("session", cookie)
    response = client.get(f"/courses/{sample.key}/{module.key}/{module.lessons[0].key}",
                          headers={"User-Agent": hello_ratio.USER_AGENT})
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
