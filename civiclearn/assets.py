"""Static files and course pictures: versioned URLs so browsers keep them a year, and gzip for text files."""

import hashlib
from functools import cache
from pathlib import Path

from flask import Flask, Response

BUFFERED_LIMIT = 512 * 1024


def init_app(app: Flask) -> None:
    """Call after Flask-Compress is set up: after-request hooks run in reverse order, so ours runs first."""
    static_folder = Path(app.static_folder)

    @cache
    def fingerprint(filename: str) -> str | None:
        path = static_folder / filename
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else None

    @app.url_defaults
    def add_fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            version = fingerprint(values["filename"])
            if version:
                values["v"] = version

    compressible = set(app.config["COMPRESS_MIMETYPES"])

    @app.after_request
    def buffer_small_text_files(response: Response) -> Response:
        """Read a small CSS or SVG file into memory, so it is gzipped without streaming.

        Flask-Compress can compress streamed files too, but then never closes the file
        (COMPRESS_STREAMS is off for that reason); a buffered response closes it when sent.
        """
        if (response.direct_passthrough and response.status_code == 200 and response.mimetype in compressible
                and (response.content_length or 0) <= BUFFERED_LIMIT):
            response.direct_passthrough = False
            response.get_data()
        return response
