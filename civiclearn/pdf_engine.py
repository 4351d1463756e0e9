"""WeasyPrint, set up the one way CivicLearn uses it (through civiclearn.pdf.render_pdf, which imports this module
on the first PDF a process makes: WeasyPrint is some 40 MB a process does not need before that).

WeasyPrint fetches what the HTML links to. Ours fetches only our own files from disk (the PDF
stylesheet, the Sarabun fonts, static files and the pictures of served courses) and refuses
everything else: no file:// paths, no web addresses. Fonts and stylesheet are loaded once per
process; Sarabun is embedded, subset to the characters used.
"""

import mimetypes
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import fontpkg_sarabun
from flask import has_request_context, request
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse
from werkzeug.security import safe_join

from civiclearn.courses.sources import checked_picture
from civiclearn.courses.store import catalogue

ORIGIN = "https://civiclearn.invalid"  # the base URL of PDF pages: it never leaves this process
STYLESHEET = Path(__file__).parent / "static" / "css" / "pdf.css"
FONT_FACES = "".join(
    f"@font-face {{ font-family: Sarabun; font-weight: {weight}; src: url({ORIGIN}/fonts/Sarabun-{name}.ttf); }}"
    for weight, name in ((400, "Regular"), (700, "Bold"))
)


class LocalFetcher(URLFetcher):
    """Answers WeasyPrint's requests from our own files only; anything else is refused."""

    def __init__(self, app):
        super().__init__(fail_on_errors=False)
        self.static_folder = Path(app.static_folder)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)  # inline data, such as a QR code image
        body = self.local_file(url)
        if body is None:
            raise ValueError(f"refused: {url} is not one of CivicLearn's own files")
        mimetype = mimetypes.guess_type(urlsplit(url).path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": mimetype})

    def local_file(self, url: str) -> bytes | None:
        """The file an address of ours stands for; None for anything else, or anything that tries to climb out."""
        if not url.startswith(ORIGIN + "/"):
            return None
        path = urlsplit(url).path
        prefix = request.script_root if has_request_context() else ""
        if prefix and path.startswith(prefix + "/"):
            path = path[len(prefix):]  # pages link pictures with the prefix the app is mounted under
        parts = [unquote(part) for part in path.split("/") if part]
        if not parts or any(part in (".", "..") or "/" in part or "\\" in part for part in parts):
            return None  # an encoded slash or a climb is never one of our files
        if parts[0] == "fonts" and len(parts) == 2:
            return _inside(fontpkg_sarabun.ROOT / "files", parts[1:])
        if parts[0] == "static":
            return _inside(self.static_folder, parts[1:])
        if parts[0] == "courses" and len(parts) > 3 and parts[2] == "media":
            return checked_picture(catalogue().course(parts[1]), "/".join(parts[3:]))  # the media view's rule
        return None


def _inside(folder: Path, parts: list[str]) -> bytes | None:
    """The file at `folder` joined with `parts`, if it is a file still inside `folder`."""
    joined = safe_join(str(folder), *parts)
    return Path(joined).read_bytes() if joined and Path(joined).is_file() else None


class PdfRenderer:
    """Holds what every PDF of this process shares: fonts, stylesheet, fetcher; renders one at a time."""

    def __init__(self, app):
        self.fetcher = LocalFetcher(app)
        self.fonts = FontConfiguration()
        self.stylesheet = CSS(string=FONT_FACES + STYLESHEET.read_text(encoding="utf-8"),
                              font_config=self.fonts, url_fetcher=self.fetcher, base_url=ORIGIN + "/")
        self.lock = threading.Lock()  # font configuration and layout are not shared across threads

    def render(self, html: str) -> bytes:
        document = HTML(string=html, base_url=ORIGIN + "/", url_fetcher=self.fetcher)
        with self.lock:  # tagged: screen readers get the headings, lists and the pictures' alt text
            return document.write_pdf(stylesheets=[self.stylesheet], font_config=self.fonts, pdf_tags=True)
