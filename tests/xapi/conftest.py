"""A real xAPI Learning Record Store for the tests: Ralph (PyPI `ralph-malph` 5.1.0) with its file-system
backend, on a free loopback port, all its state in a temporary folder removed at the end of the session.

Ralph lives in a virtualenv of its own (`make ralph` creates .venv-ralph/), never in the app's: it pins click,
FastAPI, pydantic, uvicorn and more, and runs here as a subprocess. CIVICLEARN_RALPH names another `ralph`
executable. Without one the tests that use `lrs` are skipped with install instructions; with
CIVICLEARN_REQUIRE_TOOLS=1 (set by .ci/run) they fail instead.
"""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.helpers import missing_tool

ROOT = Path(__file__).resolve().parents[2]
RALPH = os.environ.get("CIVICLEARN_RALPH", str(ROOT / ".venv-ralph" / "bin" / "ralph"))
INSTALL = ("install it with: make ralph (or: python3 -m venv .venv-ralph && "
           ".venv-ralph/bin/pip install 'ralph-malph[cli,lrs]==5.1.0' requests==2.34.2), "
           "or set CIVICLEARN_RALPH to a ralph executable")
START_SECONDS = 30  # it is ready in about 2.5 s; a loaded CI machine may take longer
STOP_SECONDS = 5
# The LRS's own user (the statements' `authority`), identified by an account like the learners, never an mbox.
AUTHORITY_HOME_PAGE, AUTHORITY_NAME = "https://civiclearn.invalid/", "civiclearn-tests"
XAPI_VERSION = {"X-Experience-API-Version": "1.0.3"}
# Ralph 5.1.0's file LRS writes every POST to one file with its backend's default operation, CREATE, which refuses
# an existing file: every POST after the first answers 500 ("Statements bulk indexation failed"). Its JSON-lines
# file is made to be appended to; every Ralph process here (the reloader spawns them) appends, through this
# sitecustomize on their PYTHONPATH. Nothing else of the LRS changes: validation, ids, queries are Ralph's own.
APPEND_STATEMENTS = """
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND
"""


@dataclass
class LRS:
    base: str  # http://127.0.0.1:PORT (no slash): the server, where /__heartbeat__ is
    url: str  # http://127.0.0.1:PORT/xAPI/ (with the slash): the xAPI endpoint an LRS setting would hold
    username: str
    password: str
    folder: Path  # Ralph's app dir (auth.json), data (fs_lrs.jsonl) and log (ralph.log)

    @property
    def auth(self) -> tuple[str, str]:
        return self.username, self.password

    def statements(self, limit: int = 100, **params) -> list[dict]:
        """The stored statements (newest first), read back as a client would: GET statements with basic auth.
        Other xAPI query parameters (verb, activity, registration, since...) go in `params`."""
        response = requests.get(self.url + "statements", params={"limit": limit, **params}, auth=self.auth,
                                headers=XAPI_VERSION, timeout=10)
        response.raise_for_status()
        return response.json()["statements"]

    def log(self) -> str:
        """What Ralph wrote (its log, one line per request), to explain a failure."""
        return (self.folder / "ralph.log").read_text(errors="replace")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to the server's process group (`ralph runserver` is uvicorn's reloader plus the server process
    it spawns), SIGKILL if it is still there after a few seconds. The group's id is the leader's pid, which Linux
    does not hand out again while any process of the group is alive."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        process.wait()


def _start(ralph: str, folder: Path, env: dict, username: str, password: str) -> tuple[subprocess.Popen, str]:
    """Start the server, write the credentials meanwhile (Ralph reads auth.json at the first request), and wait
    for its heartbeat; retry on another port if the one picked was taken in between."""
    for attempt in range(3):
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        with open(folder / "ralph.log", "wb") as log:  # a file, not a pipe: a full pipe would block the server
            # The reloader of `runserver` (always on) watches its working directory: an empty one, never the repo.
            process = subprocess.Popen(
                [ralph, "runserver", "-b", "fs", "--fs-default-directory-path", str(folder / "data"),
                 "-h", "127.0.0.1", "-p", str(port)],
                cwd=folder / "cwd", env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        try:
            auth = subprocess.run(
                [ralph, "auth", "-u", username, "-p", password, "-s", "all",
                 "-A", AUTHORITY_NAME, AUTHORITY_HOME_PAGE, "-w"],
                cwd=folder / "cwd", env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                timeout=START_SECONDS, check=False) if attempt == 0 else None
            if auth is not None and auth.returncode != 0:
                pytest.fail(f"`ralph auth` failed:\n{auth.stdout}{auth.stderr}", pytrace=False)
            deadline = time.monotonic() + START_SECONDS
            while time.monotonic() < deadline:
                if process.poll() is not None:
                    break
                try:
                    heartbeat = requests.get(base + "/__heartbeat__", timeout=1)
                except (requests.ConnectionError, requests.Timeout):
                    time.sleep(0.05)
                    continue
                if heartbeat.status_code == 200 and heartbeat.text.replace(" ", "") == '{"database":"ok"}':
                    return process, base
                time.sleep(0.05)
        except BaseException:
            _stop(process)
            raise
        exited = process.poll()
        _stop(process)
        log_text = (folder / "ralph.log").read_text(errors="replace")
        if exited is not None and "address already in use" in log_text.lower() and attempt < 2:
            continue
        if exited is None:
            problem = f"did not answer {base}/__heartbeat__ within {START_SECONDS} s (stopped)"
        else:
            problem = f"exited with code {exited} before answering {base}/__heartbeat__"
        pytest.fail(f"Ralph {problem}. Its output:\n{log_text}", pytrace=False)
    raise AssertionError("unreachable")


@pytest.fixture(scope="session")
def lrs():
    """A running Ralph LRS for the session (statements from earlier tests stay: find yours by id or filter)."""
    ralph = shutil.which(RALPH)
    if ralph is None:
        missing_tool(f"Ralph, the xAPI LRS, not found at {RALPH}; {INSTALL}")
    folder = Path(tempfile.mkdtemp(prefix="civiclearn-ralph-"))
    try:
        for sub in ("app", "data", "cwd", "tmp", "site"):
            (folder / sub).mkdir()
        (folder / "site" / "sitecustomize.py").write_text(APPEND_STATEMENTS)
        env = {key: value for key, value in os.environ.items()
               if not key.startswith("RALPH_") and key not in {"PYTHONPATH", "PYTHONHOME", "PYTHONWARNINGS"}}
        # Without RALPH_RUNSERVER_BACKEND=fs, `ralph auth` looks for Elasticsearch. TMPDIR: runserver's env file.
        env.update(RALPH_RUNSERVER_BACKEND="fs", RALPH_APP_DIR=str(folder / "app"), TMPDIR=str(folder / "tmp"),
                   PYTHONPATH=str(folder / "site"))
        username, password = "civiclearn", secrets.token_urlsafe(18)
        process, base = _start(ralph, folder, env, username, password)
        try:
            yield LRS(base=base, url=base + "/xAPI/", username=username, password=password, folder=folder)
        finally:
            _stop(process)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
