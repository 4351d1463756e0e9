"""Open data, for anyone: the page listing the data sets with their dictionary, and the files themselves."""

import json

from flask import Blueprint, Response, abort, current_app, render_template

from civiclearn.exports import csv_response
from civiclearn.extensions import limiter
from civiclearn.opendata import services

bp = Blueprint("opendata", __name__)

FORMATS = ("csv", "json")


@bp.get("/open-data")
def index():
    """The data sets, what they hold, their licence, the rule for small counts and the data dictionary."""
    return render_template("opendata/index.html", name=services.NAME, title=services.TITLE,
                           description=services.DESCRIPTION, columns=services.COLUMNS,
                           suppression=services.SUPPRESSION, licence=services.LICENCE,
                           licence_url=services.LICENCE_URL, formats=FORMATS)


@bp.get(f"/open-data/{services.NAME}.<file_format>")
@limiter.limit(lambda: current_app.config["OPEN_DATA_LIMIT"])
def download(file_format: str):
    """The data set as CSV (UTF-8 with a byte order mark, so Excel shows Thai) or JSON with its metadata."""
    if file_format not in FORMATS:
        abort(404)
    data = services.learning_by_district_month()
    names = [column.name for column in services.COLUMNS]
    if file_format == "csv":
        return csv_response(services.NAME, names, ([row[name] for name in names] for row in data.rows))
    return Response(json.dumps(services.metadata(data) | {"rows": data.rows}, ensure_ascii=False, indent=1),
                    mimetype="application/json")

