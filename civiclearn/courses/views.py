"""Course media: images referenced by lessons, served from the course folder."""

from pathlib import Path

from flask import Blueprint, abort, send_from_directory

from civiclearn.courses.reader import IMAGE_SUFFIXES
from civiclearn.courses.store import catalogue

bp = Blueprint("courses", __name__)

MEDIA_MAX_AGE = 365 * 24 * 3600  # lesson pages link images with ?v=<digest of the file>


@bp.get("/courses/<course_key>/media/<path:path>")
def media(course_key: str, path: str):
    """An image of a served course; send_from_directory refuses paths that leave the folder."""
    course = catalogue().course(course_key)
    if course is None or Path(path).suffix.lower() not in IMAGE_SUFFIXES:
        abort(404)
    return send_from_directory(Path(course.media_dir), path, max_age=MEDIA_MAX_AGE)
