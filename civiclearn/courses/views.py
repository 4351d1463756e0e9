"""Course media: images referenced by lessons, served from the course folder."""

from pathlib import Path

from flask import Blueprint, abort, send_from_directory, url_for

from civiclearn.courses.store import catalogue

bp = Blueprint("courses", __name__)

MEDIA_MAX_AGE = 365 * 24 * 3600  # lesson pages link images with ?v=<digest of the file>


@bp.get("/courses/<course_key>/media/<path:path>")
def media(course_key: str, path: str):
    """A picture a lesson of the served version shows; nothing else in the course folder is served."""
    course = catalogue().course(course_key)
    if course is None or path not in course.media:
        abort(404)
    return send_from_directory(Path(course.media_dir), path, max_age=MEDIA_MAX_AGE)


@bp.app_template_global()
def media_url(course, path: str) -> str:
    """The address of a course picture, with a fingerprint of its content for caching."""
    return url_for("courses.media", course_key=course.key, path=path, v=course.media.get(path))
