"""Open data, for anyone: the page listing the data sets with their dictionaries, and the files themselves."""

import json

from flask import Blueprint, Response, abort, current_app, render_template

from civiclearn.exports import csv_response
from civiclearn.extensions import limiter
from civiclearn.opendata import services

bp = Blueprint("opendata", __name__)

FORMATS = ("csv", "json")


@bp.get("/open-data")
def index():
    """The data sets, what they hold, their licence, the rule for small counts and the data dictionaries."""
    return render_template("opendata/index.html", data_sets=services.DATA_SETS.values(), licence=services.LICENCE,
                           licence_url=services.LICENCE_URL, formats=FORMATS)


@bp.get("/open-data/<name>.<file_format>")
@limiter.limit(lambda: current_app.config["OPEN_DATA_LIMIT"])
def download(name: str, file_format: str):
    """A data set as CSV (UTF-8 with a byte order mark, so Excel shows Thai) or JSON with its metadata."""
    published = services.DATA_SETS.get(name)
    if published is None or file_format not in FORMATS:
        abort(404)
    data = published.download()
    names = [column.name for column in published.columns]
    if file_format == "csv":
        return csv_response(published.name, names, ([row[column] for column in names] for row in data.rows))
    return Response(json.dumps(services.metadata(published, data) | {"rows": data.rows}, ensure_ascii=False,
                               indent=1), mimetype="application/json")
