"""Friendly error pages in the current language; a server error never shows a stack trace. An address
with unusual characters is refused before any view reads it."""

from flask import Flask, current_app, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError, NotFound

from civiclearn.extensions import db
from civiclearn.forms import UNUSUAL_CHARACTERS, UNUSUAL_CHARACTERS_MESSAGE

MESSAGES = {
    400: (_l("Something in the request was not right"),
          _l("Please go back and try again.")),
    403: (_l("This page is not for you"),
          _l("Your account cannot open this page. If you think it should, ask your trainer or teacher.")),
    404: (_l("We cannot find this page"),
          _l("The address may be mistyped, or the page has moved. Start again from the home page.")),
    405: (_l("This page cannot be opened that way"),
          _l("Please go back and use the buttons on the page.")),
    429: (_l("Too many tries"),
          _l("For your safety, please wait about 5 minutes, then try again.")),
}
CSRF_MESSAGE = (_l("This form has expired"),
                _l("For your safety, a form stops working after signing out. Go back, reload the page and try again."))


class UnusualQuery(BadRequest):
    """A query string (a search box, a link) with unusual characters in it."""


def init_app(app: Flask) -> None:
    app.before_request(refuse_unusual_addresses)
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(UnusualQuery, unusual_query)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(Exception, server_error)


def refuse_unusual_addresses() -> None:
    """No page of ours has unusual characters (or U+FFFD, what a broken UTF-8 byte became) in its path:
    404. In the query string they were typed into a search box: say so, as a form field would."""
    if UNUSUAL_CHARACTERS.search(request.path) or "\ufffd" in request.path:
        raise NotFound()
    if any(UNUSUAL_CHARACTERS.search(text) for pair in request.args.items(multi=True) for text in pair):
        raise UnusualQuery()


def unusual_query(error: UnusualQuery):
    return render_template("errors/error.html", title=MESSAGES[400][0], message=UNUSUAL_CHARACTERS_MESSAGE), 400


def csrf_error(error: CSRFError):
    title, message = CSRF_MESSAGE
    return render_template("errors/error.html", title=title, message=message), 400


def http_error(error: HTTPException):
    if error.code is None or error.code >= 500:
        return server_error(error)
    title, message = MESSAGES.get(error.code, MESSAGES[400])
    response = render_template("errors/error.html", title=title, message=message)
    return response, error.code, error.get_headers() if error.code == 405 else {}


def server_error(error: Exception):
    """Log the error and show a bilingual page that needs neither the database nor the signed-in user."""
    db.session.rollback()
    code = error.code if isinstance(error, HTTPException) and error.code else 500
    if not isinstance(error, HTTPException) or isinstance(error, InternalServerError):
        current_app.logger.error("unhandled error on %s %s", request.method, request.path, exc_info=error)
    # Straight from the Jinja environment: context processors would ask for the user and the language.
    page = current_app.jinja_env.get_template("errors/500.html").render(url_for=url_for)
    return page, code
