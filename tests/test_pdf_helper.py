"""PDFs are made in a helper process (civiclearn.pdf_engine) that a web process starts on its first PDF and that
stops when quiet: WeasyPrint's memory is never in a web process."""

import io
import json
import os
import subprocess
import sys

from pypdf import PdfReader

from civiclearn import pdf
from civiclearn.config import ROOT

HANDOUT = "/courses/getting-started/take-part/handout.pdf"


def prepared_database(folder) -> dict:
    """The environment of a process serving the app on a new database in `folder`, prepared as deploy/serve does."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder}/civiclearn.db", "SECRET_KEY": "test-secret-key",
           "CIVICLEARN_PUBLIC_URL": "http://127.0.0.1"}
    subprocess.run([ROOT / "deploy" / "prepare"], env=env, check=True, capture_output=True)
    return env


def test_a_web_process_makes_a_pdf_without_loading_weasyprint(tmp_path):
    env = prepared_database(tmp_path)
    code = ("import json, sys, wsgi\n"
            f"response = wsgi.app.test_client().get('{HANDOUT}?lang=en')\n"
            "print(json.dumps([response.status_code, response.data[:5].decode(), 'weasyprint' in sys.modules]))")
    made = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout.strip().splitlines()[-1]) == [200, "%PDF-", False]


def test_a_process_whose_helper_stopped_exits_with_nothing_left_open(tmp_path):
    """At exit the pipes to the helper (here one that stopped when quiet) are closed, not left to the interpreter's
    last clean-up, which warns of each file still open (an error here, as in the test suite's own process)."""
    env = prepared_database(tmp_path)
    code = ("import wsgi\n"
            "from civiclearn import pdf\n"
            "pdf.HELPER_IDLE_SECONDS = 1\n"
            f"response = wsgi.app.test_client().get('{HANDOUT}?lang=en')\n"
            "pdf._helper().process.wait(timeout=30)\n"
            "print(response.status_code)\n")
    made = subprocess.run([sys.executable, "-W", "error::ResourceWarning", "-c", code], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    assert made.stdout.split() == ["200"] and "ResourceWarning" not in made.stderr, made.stderr


def test_the_helper_stops_when_quiet_and_the_next_pdf_starts_another(client, sample, monkeypatch):
    monkeypatch.setattr(pdf, "HELPER_IDLE_SECONDS", 1)
    helper = pdf._helper()
    helper._stop()  # the next one starts with the short quiet time
    assert client.get(f"{HANDOUT}?lang=th").status_code == 200
    first = helper.process
    assert first.poll() is None  # still there for the next PDF
    first.wait(timeout=30)  # gone by itself, once quiet
    second = client.get(f"{HANDOUT}?lang=en")
    assert second.status_code == 200 and PdfReader(io.BytesIO(second.data)).pages
    assert helper.process is not first and helper.process.pid != first.pid
    helper._stop()


def test_a_pdf_is_made_even_if_the_helper_was_killed(client, sample):
    assert client.get(f"{HANDOUT}?lang=th").status_code == 200
    helper = pdf._helper()
    helper.process.kill()
    helper.process.wait()
    again = client.get(f"{HANDOUT}?lang=en")
    assert again.status_code == 200 and again.data.startswith(b"%PDF-")
