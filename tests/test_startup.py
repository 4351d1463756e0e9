"""What a web process loads when it starts: the app, not the heavy libraries only some requests need (they are
imported on first use), so each gunicorn worker stays small (benchmarks/hello_ratio.py prints the figure)."""

import gc
import json
import os
import runpy
import subprocess
import sys
from types import SimpleNamespace

from civiclearn.config import ROOT
from civiclearn.courses.store import catalogue

HEAVY = ("weasyprint", "openpyxl", "pikepdf", "segno", "rq", "PIL", "fontTools",
         "sklearn", "numpy", "scipy", "pythainlp", "pyld",  # comment themes, linked data
         "pylti1p3", "jwt", "jwcrypto", "cryptography", "requests",  # an LMS, signed credentials, PIN slips, the LRS
         "multiprocessing")  # a certificate batch's process pool


def test_starting_the_app_imports_none_of_the_heavy_libraries(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/civiclearn.db", "SECRET_KEY": "test-secret-key"}
    code = f"import json, sys, wsgi; print(json.dumps(sorted(name for name in {HEAVY!r} if name in sys.modules)))"
    started = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                             timeout=120)
    assert started.returncode == 0, started.stderr
    assert json.loads(started.stdout.strip().splitlines()[-1]) == []


def test_the_master_builds_once_what_every_worker_would_build_for_itself(app, sample):
    """deploy/gunicorn.conf.py, once the app is loaded and before the workers are forked: the catalogue and every
    lesson in each language are built in the master (the workers share them, and no learner waits for them),
    start-up's objects are frozen out of the collector's passes, and the collector is on again."""
    settings = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    assert not gc.isenabled()  # nothing collected while the app is built
    server = SimpleNamespace(app=SimpleNamespace(wsgi=lambda: app), cfg=SimpleNamespace(preload_app=True))
    try:
        settings["when_ready"](server)
        assert gc.isenabled() and gc.get_freeze_count() > 0
        with app.app_context():
            lessons = [lesson for course in catalogue().courses for lesson in course.lessons()]
        assert lessons and all({language for language, _prefix in lesson.rendered} == set(app.config["LANGUAGES"])
                               for lesson in lessons)
    finally:
        gc.unfreeze()
        gc.enable()
