"""What a web process loads when it starts: the app, not the heavy libraries only some requests need (they are
imported on first use), so each gunicorn worker stays small (benchmarks/hello_ratio.py prints the figure)."""

import json
import os
import subprocess
import sys

from civiclearn.config import ROOT

HEAVY = ("weasyprint", "openpyxl", "pikepdf", "segno", "rq", "PIL", "fontTools")


def test_starting_the_app_imports_none_of_the_heavy_libraries(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/civiclearn.db", "SECRET_KEY": "test-secret-key"}
    code = f"import json, sys, wsgi; print(json.dumps(sorted(name for name in {HEAVY!r} if name in sys.modules)))"
    started = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                             timeout=120)
    assert started.returncode == 0, started.stderr
    assert json.loads(started.stdout.strip().splitlines()[-1]) == []
