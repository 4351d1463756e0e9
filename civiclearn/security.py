"""Response headers that make every page safe by default: strict CSP, no caching of pages."""

from flask import Flask, Response, current_app

# Only our own files: no inline script or style, no framing by other sites, forms post to us only.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'self'",
])

HSTS_SECONDS = 365 * 24 * 3600  # a year, as browsers' preload lists ask; subdomains are the operator's to add


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)


def add_security_headers(response: Response) -> Response:
    """Set the security headers; pages are never stored, so Back on a shared computer shows nothing old."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
    if current_app.config.get("SESSION_COOKIE_SECURE"):  # served over HTTPS (CIVICLEARN_HTTPS=1): never plain HTTP again
        headers.setdefault("Strict-Transport-Security", f"max-age={HSTS_SECONDS}")
    if response.mimetype == "text/html":
        # Every page may name the signed-in learner, so none may be kept by the browser or a proxy.
        headers["Cache-Control"] = "no-store"
    return response
