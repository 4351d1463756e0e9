"""CivicLearn's pages against a bare Flask "hello world", side by side in one run, and the server's memory.

Both apps run under the same gunicorn settings as `make run` (2 workers x 4 threads) and are loaded with wrk on the
loopback (-t2 -c32; each figure the fastest of 3 runs of 3 s, after 3 s of warming), so the ratio says what
CivicLearn costs on this machine whatever the machine.
The public course page is asked for twice: as each visitor's first page (no cookie: a session and form token are
made for them), and as their next ones (with the cookie their browser kept).
The signed-in lesson page is asked for by 32 learners in turn, each over all of one module's lessons (a learner's
first visit to a lesson writes a row, and 64 first visits at once on SQLite queue for its one writer: they are over
while the server warms, and the figures are of learners reading); so is a signed-in page that does nothing of its
own (benchmarks/floor.py), to show the least any signed-in page costs here. Each request carries the cookie a
browser would hold by then and the same User-Agent as the browser that signed in: wrk cannot keep the cookies
the server sends, and one it had to send again (no form token in it yet, or a session marked as from another
browser) would be written anew on every page, which no browser asks for.
Memory: the PSS (shared pages counted once) of gunicorn's master and workers, after every kind of page has been
served once (a PDF and a spreadsheet included, so their libraries are loaded if they are loaded at all), once the
PDF helper has stopped, and while it runs.

Goals (issue 12): signed-in lesson page >= 0.25 x hello world and public pages >= 0.35 x, with 0 errors, on SQLite
and PostgreSQL; the whole server <= 150 MB PSS.
Needs wrk (`apt-get install wrk`). Run: .venv/bin/python benchmarks/hello_ratio.py [--seconds 3]
(BENCHMARK_DATABASE_URL=postgresql+psycopg://... for PostgreSQL)
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from common import LIMITS_OUT_OF_REACH, benchmark_app

from civiclearn.config import ROOT
from civiclearn.courses.store import catalogue, load_courses
from civiclearn.pdf import HELPER_IDLE_SECONDS
from tests.helpers import submit

HERE = Path(__file__).resolve().parent
LEARNERS = 32
# As deploy/serve (make run) starts it: Python with -OO, gunicorn with its settings file and 2 workers.
GUNICORN = [sys.executable, "-OO", "-m", "gunicorn", "--config", str(ROOT / "deploy" / "gunicorn.conf.py"),
            "--workers", "2"]
GOALS = {"public": 0.35, "lesson": 0.25}
RUNS = 3  # wrk runs per figure, the fastest counted: this machine's speed varies from run to run
WARM_SECONDS = 3
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) CivicLearn-benchmark"  # one browser's, sent with every request


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(target: str, env: dict, cwd: Path):
    port = free_port()
    server = subprocess.Popen([*GUNICORN, "--bind", f"127.0.0.1:{port}", target],
                              cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/", timeout=2).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{target} did not start") from None
                time.sleep(0.2)
        yield url, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


def wrk(url: str, seconds: int, requests: list[tuple[str, str]] | None = None) -> tuple[float, int]:
    """Requests per second and errors (socket errors and answers other than 2xx/3xx). `requests`: (path, cookie)
    pairs asked for in turn (a Lua script), else GET `url`."""
    command = ["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", "-H", f"User-Agent: {USER_AGENT}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        if requests:  # (a script's own headers replace those of -H)
            entries = ",\n".join(f'  wrk.format("GET", "{path}", {{["Cookie"] = "session={cookie}", '
                                 f'["User-Agent"] = "{USER_AGENT}"}})' for path, cookie in requests)
            script.write(f"local requests = {{\n{entries}\n}}\nlocal i = 0\n"
                         "request = function()\n  i = i % #requests + 1\n  return requests[i]\nend\n")
            command += ["-s", script.name]
    try:
        output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = sum(int(number) for number in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    errors += int(match.group(1)) if (match := re.search(r"Non-2xx or 3xx responses: (\d+)", output)) else 0
    return rate, errors


def spread(rates: list[float]) -> str:
    return ", ".join(f"{rate:,.0f}" for rate in rates)


def visitor_cookie(url: str) -> str:
    """The session cookie a visitor's browser keeps from its first page (it holds their form token), to send with
    their next pages."""
    first_page = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(first_page, timeout=10) as response:
        cookie = response.headers["Set-Cookie"]
    return re.match(r"session=([^;]+)", cookie).group(1)


def best_of(runs: int, seconds: int, url: str, requests: list[tuple[str, str]] | None = None) -> tuple[list, int]:
    """`runs` wrk runs after WARM_SECONDS of the same: their rates, and the errors of them all. (The warming lets a
    new server's second worker finish starting, and the lessons' first visits, which write, be over.)"""
    wrk(url, WARM_SECONDS, requests)
    measured = [wrk(url, seconds, requests) for _ in range(runs)]
    return [rate for rate, _errors in measured], sum(errors for _rate, errors in measured)


def hello_world(env: dict, seconds: int) -> list[float]:
    with gunicorn("hello:app", env, HERE) as (hello, _pid):
        rates, errors = best_of(RUNS, seconds, hello)
    assert errors == 0, f"hello world answered {errors} errors"
    return rates


def descendants(pid: int) -> list[int]:
    """Every process under `pid` (a process started by any of its threads is listed under that thread)."""
    children = [int(child) for task in Path(f"/proc/{pid}/task").iterdir()
                for child in (task / "children").read_text().split()]
    return children + [grandchild for child in children for grandchild in descendants(child)]


def pss_megabytes(master_pid: int) -> list[float]:
    """PSS of the gunicorn master and of each process under it (workers, PDF helpers), in MB."""
    sizes = []
    for pid in [master_pid, *descendants(master_pid)]:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except ProcessLookupError:
            continue  # a helper that stopped just now
        sizes.append(int(re.search(r"^Pss:\s+(\d+) kB", rollup, re.M).group(1)) / 1024)
    return sizes


def memory_at_rest(master_pid: int) -> list[float]:
    """PSS once the PDF helpers have stopped (a quiet minute after the last PDF)."""
    deadline = time.monotonic() + HELPER_IDLE_SECONDS + 30
    while any(descendants(worker) for worker in descendants(master_pid)) and time.monotonic() < deadline:
        time.sleep(1)
    return pss_megabytes(master_pid)


def learner_cookies(app, count: int) -> list[str]:
    """Session cookies of `count` registered learners (signed with the benchmark's key, valid on the server), as
    their browsers hold them after the first page they were led to: with its form token, which the sign-in
    itself leaves out (a new session starts empty)."""
    cookies = []
    for number in range(count):
        client = app.test_client()
        client.environ_base["HTTP_USER_AGENT"] = USER_AGENT
        response = submit(client, "/register", {"display_name": f"Learner {number}", "pin": "4826",
                                                "pin_confirm": "4826", "consent": "y"})
        assert response.status_code == 303, response.status_code
        assert client.get(response.location).status_code == 200
        cookies.append(client.get_cookie("session").value)
    return cookies


def serve_every_page_once(url: str, cookie: str, module) -> None:
    """Each kind of page, so the server has loaded what any of them needs."""
    course = module.course.key
    pages = ["/", "/courses", f"/courses/{course}", f"/courses/{course}/{module.key}",
             f"/courses/{course}/{module.key}/{module.lessons[0].key}", f"/courses/{course}/{module.key}/quiz",
             f"/courses/{course}/{module.key}/guide", f"/courses/{course}/{module.key}/handout.pdf", "/v",
             "/open-data", "/open-data/learning-by-district-month.csv", "/me/data", "/me/certificates", "/healthz"]
    for path in pages:
        request = urllib.request.Request(url + path, headers={"Cookie": f"session={cookie}", "User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
                assert response.geturl() == url + path, f"{path} went to {response.geturl()}: not signed in?"
        except urllib.error.HTTPError as error:
            raise RuntimeError(f"{path}: {error}") from None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=3, help="of each wrk run (each figure is the best of 3)")
    seconds = parser.parse_args().seconds
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    with benchmark_app() as app:
        with app.app_context():
            load_courses(app.config["COURSES_DIR"])
            module = next(module for course in catalogue().courses for module in course.modules
                          if module.guide and module.quiz)  # a module with every kind of page
        database = app.config["SQLALCHEMY_DATABASE_URI"]
        env = {**os.environ, "DATABASE_URL": database, "SECRET_KEY": app.config["SECRET_KEY"],
               "CIVICLEARN_PUBLIC_URL": "http://127.0.0.1", "PYTHONPATH": str(ROOT),
               **{f"CIVICLEARN_{name}": str(value) for name, value in LIMITS_OUT_OF_REACH.items()}}
        lessons = [f"/courses/{module.course.key}/{module.key}/{lesson.key}" for lesson in module.lessons]
        hello_rates = hello_world(env, seconds)  # before and after CivicLearn: this machine's speed drifts
        with gunicorn("wsgi:app", env, ROOT) as (civiclearn, pid):
            serve_every_page_once(civiclearn, learner_cookies(app, 1)[0], module)
            memory = pss_megabytes(pid)
            rest = memory_at_rest(pid)
            # Signed in now: a session whose "last seen" is older than SEEN_AT_STEPS' step is written again by
            # every page, and a browser keeps the new cookie but wrk sends the same one over and over.
            cookies = learner_cookies(app, LEARNERS)
            course = f"/courses/{module.course.key}"
            first_visits = best_of(RUNS, seconds, civiclearn + course)
            next_visits = best_of(RUNS, seconds, civiclearn, [(course, visitor_cookie(civiclearn + course))])
            reading = [(lesson, cookie) for cookie in cookies for lesson in lessons]
            lessons_read = best_of(RUNS, seconds, civiclearn, reading)
        with gunicorn("floor:app", env, HERE) as (floor, _pid):
            floor_visits = best_of(RUNS, seconds, floor, [("/floor", cookie) for cookie in cookies])
        hello_rates += hello_world(env, seconds)
    backend = database.split(":")[0]
    hello_rate = max(hello_rates)  # the fastest: a slow moment of the machine must not flatter the ratios
    print(f"hello world ({backend} run): {hello_rate:,.0f} requests/s, the fastest of {spread(hello_rates)} "
          f"(before and after)")
    for name, (rates, errors), goal in (
            ("public course page, a visitor's first (no cookie yet)", first_visits, GOALS["public"]),
            ("public course page, a visitor's next ones", next_visits, GOALS["public"]),
            ("signed-in lesson page", lessons_read, GOALS["lesson"]),
            ("a signed-in page that does nothing of its own", floor_visits, None)):
        print(f"{name} ({backend}): {max(rates):,.0f} requests/s = {max(rates) / hello_rate:.2f} x hello world "
              f"(the fastest of {spread(rates)}), {errors} errors "
              + (f"(goal: >= {goal} x, 0 errors)" if goal else "(the least any signed-in page costs)"))
    print(f"server memory (PSS of master + 2 workers, every page type served once): {sum(rest):.0f} MB "
          f"({' + '.join(f'{size:.0f}' for size in rest)}) (goal: <= 150 MB); {sum(memory):.0f} MB while the "
          f"PDF helper runs ({' + '.join(f'{size:.0f}' for size in memory)}; it stops after a quiet "
          f"{HELPER_IDLE_SECONDS} s)")


if __name__ == "__main__":
    main()
