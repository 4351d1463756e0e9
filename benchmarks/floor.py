"""CivicLearn with one page more, /floor: a signed-in page that does nothing of its own. It reads the learner and
greets them, as every signed-in page does before its own work (the session, the idle check, the person's row,
the rate limits, the response's headers), so benchmarks/hello_ratio.py can print the least that any signed-in
page costs on this machine beside what the lesson page costs."""

from flask import abort
from flask_login import current_user
from markupsafe import escape

from wsgi import app


@app.get("/floor")
def floor() -> str:
    if not current_user.is_authenticated:
        abort(403)
    return f"Hello, {escape(current_user.display_name)}"
