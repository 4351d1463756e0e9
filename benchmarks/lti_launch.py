"""LTI 1.3 launch speed: the server time of the tool's two requests in a launch from an LMS.

Measured, per launch: the login initiation (GET /lti/login -> 302 to the LMS) and the launch (POST /lti/launch
with the LMS's signed id token -> 303), each timed around the Flask test client's call (in-process, as
sign_in.py: no web server, no network). Between the two, the LMS's own step (its /auth endpoint, which signs
the id token) is the LMS's time and is not counted; nor is the landing (/lti/arrive), fetched untimed to check
that the person is signed in. The LMS is the tests' real LTI 1.3 platform (tests/lti/platform.py:
lti1p3platform's RS256 tokens, on the loopback in a thread of this process), registered as the tests register
it: an approved platform tied to a school, with one deployment.
The launches go round the learners (--learners) in 5 LMS courses (each course opens its own module): a
person's first launch adds them (person, LMS identity, class membership; the first of a course, its class), a
returning person's finds them. The first launch after start is cold: the platform's public keys are fetched
over HTTP (warm launches use the set kept for 5 minutes) and no SQL statement is compiled yet; our own signing
key already exists, as it does on any server after its first launch. A few more launches, in the warm process,
with the kept key set forgotten, show what fetching the keys costs alone. The process is set up as
deploy/gunicorn.conf.py sets a worker up (prepare_for_workers, then gc.freeze).
Also printed: the SQL statements each request runs (cursor executions, savepoints included).

Goal: a launch's server time (login + launch) under 150 ms median.
Run: .venv/bin/python benchmarks/lti_launch.py [--launches 200] [--learners 50]
(BENCHMARK_DATABASE_URL=postgresql+psycopg://... for PostgreSQL)
"""

import argparse
import gc
import logging
import statistics
import time
from dataclasses import dataclass, field

import requests
from common import NAMES, benchmark_app, percentile
from flask import request
from sqlalchemy import event

from civiclearn import prepare_for_workers
from civiclearn.courses.store import catalogue, load_courses
from civiclearn.extensions import db
from civiclearn.lti import adapter, keys
from civiclearn.lti.models import LtiDeployment, LtiPlatform
from civiclearn.schools.models import School
from tests.lti.platform import LMS, FormFields, NextLaunch

COURSES = 5
KEY_REFETCHES = 10
GOAL_MS = 150


@dataclass
class Timings:
    """Milliseconds and SQL statements of the login and launch requests of some launches."""

    login: list[float] = field(default_factory=list)
    launch: list[float] = field(default_factory=list)
    login_statements: list[int] = field(default_factory=list)
    launch_statements: list[int] = field(default_factory=list)

    def add(self, other: "Timings") -> None:
        for name in ("login", "launch", "login_statements", "launch_statements"):
            getattr(self, name).extend(getattr(other, name))

    def both(self) -> list[float]:
        return [login + launch for login, launch in zip(self.login, self.launch, strict=True)]


class Counter:
    """SQL statements sent to the database (every cursor execution of the app's engine)."""

    def __init__(self, engine):
        self.count = 0
        event.listen(engine, "before_cursor_execute", self.seen)

    def seen(self, *args) -> None:
        self.count += 1


def register(app, lms: LMS) -> None:
    """The LMS as the tests register it: approved, tied to a new school, one deployment; and our signing key
    (made on first use: a running server has it already)."""
    with app.app_context():
        school = School(name_th="โรงเรียนบ้านริมใต้", name_en="Ban Rim Tai School", province="เชียงใหม่",
                        district="แม่ริม")
        db.session.add(school)
        db.session.flush()
        platform = LtiPlatform(name="Moodle ของโรงเรียน", state="active", school_id=school.id, frame_origins=lms.base,
                               **lms.urls)
        db.session.add(platform)
        db.session.flush()
        db.session.add(LtiDeployment(platform_id=platform.id, deployment_id=lms.deployment_id))
        keys.signing_key()
        db.session.commit()


def launch(client, lms: LMS, counter: Counter, who: NextLaunch) -> Timings:
    """One launch as a browser makes it; only the tool's two requests timed."""
    lms.next = who
    params = {"iss": lms.base, "login_hint": who.subject, "target_link_uri": lms.tool_launch_url,
              "client_id": lms.client_id, "lti_deployment_id": lms.deployment_id}
    timed = Timings()
    counter.count = 0
    start = time.perf_counter()
    login = client.get("/lti/login", query_string=params)
    timed.login.append((time.perf_counter() - start) * 1000)
    timed.login_statements.append(counter.count)
    assert login.status_code == 302, login.get_data(as_text=True)
    form = FormFields(requests.get(login.headers["Location"], timeout=10).text)  # the LMS's time: not counted
    path = form.action.removeprefix(lms.tool_launch_url.removesuffix("/lti/launch"))
    counter.count = 0
    start = time.perf_counter()
    answer = client.post(path, data=form.fields)
    timed.launch.append((time.perf_counter() - start) * 1000)
    timed.launch_statements.append(counter.count)
    assert answer.status_code == 303, answer.get_data(as_text=True)
    landing = client.get(answer.headers["Location"])
    assert landing.status_code == 303, "the launch did not sign the person in"
    return timed


def summary(name: str, timed: Timings) -> str:
    def figures(values: list[float]) -> str:
        return f"median {statistics.median(values):.1f} ms, p95 {percentile(values, 0.95):.1f} ms"
    return (f"  {name}, {len(timed.login)} launches: login {figures(timed.login)}; launch {figures(timed.launch)}; "
            f"login + launch {figures(timed.both())}; SQL statements login "
            f"{statistics.median(timed.login_statements):.0f}, launch {statistics.median(timed.launch_statements):.0f}"
            " (median)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--launches", type=int, default=200)
    parser.add_argument("--learners", type=int, default=50)
    arguments = parser.parse_args()
    if not 2 <= arguments.learners < arguments.launches:
        parser.error("--launches must exceed --learners (at least 2), so that some people return")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the LMS's server logs each request otherwise
    lms = LMS()
    lms.reset()
    key_fetches = []
    lms.app.before_request(lambda: key_fetches.append(time.monotonic()) if request.path == "/jwks" else None)
    try:
        with benchmark_app() as app:
            lms.tool_launch_url = app.config["PUBLIC_URL"] + "/lti/launch"
            with app.app_context():
                load_courses(app.config["COURSES_DIR"])
                modules = [module for course in catalogue().courses for module in course.modules]
                counter = Counter(db.engine)
            register(app, lms)
            prepare_for_workers(app)
            gc.freeze()

            def person(number: int) -> NextLaunch:
                course = number % COURSES
                module = modules[course % len(modules)]
                return NextLaunch(subject=f"lms-user-{number}", name=f"{NAMES[number % len(NAMES)]} {number}",
                                  context_id=f"course-{course}", context_title=f"ม.{course + 1}/1 พลเมืองดิจิทัล",
                                  resource_link_id=f"link-{course}",
                                  target=f"{app.config['PUBLIC_URL']}/courses/{module.course.key}/{module.key}")

            browsers = {}
            first, returning, cold = Timings(), Timings(), None
            for turn in range(arguments.launches):
                number = turn % arguments.learners
                newcomer = number not in browsers
                browser = browsers.setdefault(number, app.test_client())
                timed = launch(browser, lms, counter, person(number))
                if cold is None:
                    cold, cold_fetches = timed, len(key_fetches)
                else:
                    (first if newcomer else returning).add(timed)
            warm_fetches = len(key_fetches) - cold_fetches
            refetched = Timings()
            for turn in range(KEY_REFETCHES):
                adapter.PLATFORM_KEYS.forget()
                refetched.add(launch(browsers[turn % len(browsers)], lms, counter, person(turn % len(browsers))))
            backend = app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0].split("+")[0]
    finally:
        lms.close()
    everyone = Timings()
    everyone.add(first)
    everyone.add(returning)
    print(f"LTI 1.3 launch, server time of login + launch ({backend}; {arguments.launches} launches by "
          f"{len(browsers)} learners in {COURSES} LMS courses; the LMS's /auth step not counted):")
    print(f"  cold, the first launch after start (platform keys fetched over HTTP: {cold_fetches} fetch): login "
          f"{cold.login[0]:.1f} ms + launch {cold.launch[0]:.1f} ms = {cold.both()[0]:.1f} ms; SQL statements "
          f"login {cold.login_statements[0]}, launch {cold.launch_statements[0]}")
    print(summary("warm, first launch of a person", first))
    print(summary("warm, returning person", returning))
    print(summary("warm, all", everyone) + f"; platform key fetches {warm_fetches}")
    print(summary("warm process, platform keys fetched again (kept set forgotten)", refetched))
    median = statistics.median(everyone.both())
    print(f"  goal: median login + launch under {GOAL_MS} ms: {median:.1f} ms, "
          f"{'met' if median < GOAL_MS else 'NOT met'}")


if __name__ == "__main__":
    main()
