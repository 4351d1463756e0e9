"""Course media: images referenced by lessons, served from the course folder."""

import io
import mimetypes

from flask import Blueprint, abort, send_file

from civiclearn.courses.media import media_url
from civiclearn.courses.sources import checked_picture
from civiclearn.courses.store import catalogue

bp = Blueprint("courses", __name__)
bp.add_app_template_global(media_url)

MEDIA_MAX_AGE = 365 * 24 * 3600  # lesson pages link images with ?v=<digest of the file>


@bp.get("/courses/<course_key>/media/<path:path>")
def media(course_key: str, path: str):
    """A picture a lesson of the served version shows, as it was checked; nothing else in the course folder is served."""
    course = catalogue().course(course_key)
    content = checked_picture(course, path)
    if content is None:
        abort(404)
    return send_file(io.BytesIO(content), mimetype=mimetypes.guess_type(path)[0] or "application/octet-stream",
                     etag=course.media[path], max_age=MEDIA_MAX_AGE)
