"""The one way CivicLearn makes PDFs: a template rendered to HTML here, then to PDF by WeasyPrint in a helper
process (civiclearn.pdf_engine), which this process starts on its first PDF and again whenever the last one has
stopped after a quiet minute. So a web process never holds WeasyPrint's memory, and a PDF that crashes WeasyPrint
cannot take the web process with it. A process that makes many PDFs (a certificate batch's pool) calls
`render_here` once and renders them itself."""

import atexit
import json
import os
import re
import subprocess
import sys
import threading

from flask import current_app, render_template, request

from civiclearn.courses.store import catalogue
from civiclearn.frames import read_frame, write_frame

COURSE_PICTURE = re.compile(r"/courses/([^/\"']+)/media/")  # the courses whose pictures a page shows
HELPER_IDLE_SECONDS = 60  # a helper with nothing to do for this long stops
RENDER_TIMEOUT_SECONDS = 300  # the longest PDF (a class report of a thousand learners) takes a few seconds


class PdfFailed(RuntimeError):
    """The helper could not make the PDF (its message says why)."""


def render_pdf(template: str, attachments: list[dict] = (), **context) -> bytes:
    """Render `template` with `context` to a PDF (a request context is needed, as for any template), with
    `attachments` embedded as associated files (each a dict: "name", "text", "mime", "description")."""
    html = render_template(template, **context)
    renderer = current_app.extensions.get("civiclearn.pdf") or _helper()
    return renderer.render(html, resources_for(html), list(attachments))


def resources_for(html: str) -> dict:
    """What the PDF of `html` may read (civiclearn.pdf_engine.LocalFetcher.use): our static files, and the
    checked pictures of the courses the page shows."""
    pictured = set(COURSE_PICTURE.findall(html))
    return {
        "static": current_app.static_folder,
        "prefix": request.script_root,
        "courses": {course.key: [course.media_dir, course.media] for course in catalogue().courses
                    if course.key in pictured} if pictured else {},
    }


def render_here() -> None:
    """Make this app's PDFs in this process from now on (a process whose job is making many of them)."""
    from civiclearn.pdf_engine import PdfRenderer
    current_app.extensions["civiclearn.pdf"] = PdfRenderer()


class PdfHelper:
    """This process's helper: one PDF at a time; started when needed, started again if it has stopped."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.lock = threading.Lock()

    def render(self, html: str, resources: dict, attachments: list[dict]) -> bytes:
        request_frame = json.dumps({"html": html, "resources": resources, "attachments": attachments}).encode()
        with self.lock:
            for attempt in range(2):  # the helper may stop (a quiet minute) just as a request reaches it
                process = self._running()
                try:
                    write_frame(process.stdin.fileno(), request_frame)
                    answer = read_frame(process.stdout.fileno(), RENDER_TIMEOUT_SECONDS)
                except BrokenPipeError:
                    answer = None
                except TimeoutError:
                    self._stop()
                    raise
                if answer is not None:
                    if answer[:1] != b"+":
                        raise PdfFailed(answer[1:].decode(errors="replace"))
                    return answer[1:]
                self._stop()
            raise PdfFailed("the PDF helper stopped while making the PDF")

    def _running(self) -> subprocess.Popen:
        if self.process is None or self.process.poll() is not None:
            self._stop()
            self.process = subprocess.Popen([sys.executable, "-m", "civiclearn.pdf_engine", str(HELPER_IDLE_SECONDS)],
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            threading.Thread(target=self.process.wait, daemon=True).start()  # no zombie once it stops by itself
        return self.process

    def _stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process.stdin.close()
            self.process.stdout.close()
            self.process = None


_helpers: dict[int, PdfHelper] = {}  # process id -> its helper (a forked process starts its own)
_helpers_lock = threading.Lock()


def _helper() -> PdfHelper:
    with _helpers_lock:
        return _helpers.setdefault(os.getpid(), PdfHelper())


@atexit.register
def _stop_helper_at_exit() -> None:
    """This process's helper goes with it, and the pipes to it are closed (not left for the interpreter's last
    clean-up, which warns of each file still open)."""
    helper = _helpers.get(os.getpid())
    if helper is not None:
        helper._stop()  # without the lock: a render still waiting on it in a daemon thread must not hold up the exit
