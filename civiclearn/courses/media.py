"""Addresses of course pictures, for the lesson pages and PDFs that show them."""

from flask import url_for


def media_url(course, path: str) -> str:
    """The address of a course picture, with a fingerprint of its content for caching."""
    return url_for("courses.media", course_key=course.key, path=path, v=course.media.get(path))
