"""Static files: each URL carries a hash of the file, so browsers keep files a year and still see changes."""

import hashlib
from functools import cache
from pathlib import Path

from flask import Flask


def init_app(app: Flask) -> None:
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
