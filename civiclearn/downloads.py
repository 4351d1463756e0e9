"""Every file that holds someone's personal data leaves the app through `personal_file`.

One function, so that a new download cannot forget a rule:
- `Cache-Control: no-store`: the file is kept neither by the browser nor by a proxy, so the next person at
  a kiosk or a shared computer cannot open it again from the cache;
- the audit log says who took which file, and about whom or what (a person, a centre, a class ...);
- the file is named, and sent as an attachment or shown in the browser (`inline`, for PDFs to print).

Certificates, learner cards, class reports, batches, spreadsheets of reports and a person's data all come
here, whoever downloads them (a learner's own certificate or data too: the log then shows that they took it
themselves). Public files without anybody's data (open data, teacher-guide handouts, the example roster) do
not: they may be cached, and nobody needs to know who read them.
"""

from collections.abc import Iterable
from pathlib import Path
from typing import IO

from flask import Response, send_file
from flask_login import current_user

from civiclearn.audit.services import record
from civiclearn.extensions import db

Body = bytes | str | Iterable[str] | Path | IO[bytes]


def disposition(filename: str, inline: bool = False) -> str:
    """The Content-Disposition of a file of ours (our names are plain ASCII: keys, ids and codes)."""
    return f'{"inline" if inline else "attachment"}; filename="{filename}"'


def personal_file(body: Body, filename: str, mimetype: str, *, action: str, subject: tuple[str, int | None],
                  detail: dict | None = None, inline: bool = False) -> Response:
    """The file as a response that no cache keeps, recorded in the audit log as `action` on `subject`
    (its type and id) with the file's name and `detail`.

    `body` is the file's content (bytes or text), text chunks to stream, or a file on disk or in a
    temporary file. The audit row is committed here, before anything is sent: a streamed file is written
    after the view returns, and a download must be in the log even if the connection drops half-way.
    """
    if isinstance(body, Path) or hasattr(body, "read"):
        response = send_file(body, mimetype=mimetype)
    else:
        response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = disposition(filename, inline)
    response.headers["Cache-Control"] = "no-store"
    record(current_user, action, *subject, file=filename, **(detail or {}))
    db.session.commit()
    return response
