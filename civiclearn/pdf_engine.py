"""WeasyPrint, set up the one way CivicLearn uses it. It runs in a helper process of its own
(`python -m civiclearn.pdf_engine`, started by civiclearn.pdf on the first PDF a web process asks for), so that
WeasyPrint's 40-odd MB are never in a web process, and the helper stops after a quiet minute (its argument),
giving them back.
A process that renders many PDFs itself (a certificate batch's pool) uses PdfRenderer directly.

WeasyPrint fetches what the HTML links to. Ours fetches only our own files from disk (the PDF stylesheet, the
Sarabun fonts, static files and the pictures of served courses, as checked when they were loaded) and refuses
everything else: no file:// paths, no web addresses. Fonts and stylesheet are loaded once per process; Sarabun is
embedded, subset to the characters used.

The helper reads requests from its stdin and writes answers to its stdout, one at a time, each a frame
(civiclearn.frames). A request is JSON: {"html": ..., "resources": ...} (see
LocalFetcher.use); an answer is b"+" and the PDF, or b"-" and what went wrong.
"""

import json
import mimetypes
import os
import select
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import fontpkg_sarabun
import pydyf
from weasyprint import CSS, HTML, Attachment
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse
from werkzeug.security import safe_join

from civiclearn.courses.sources import checked_media
from civiclearn.frames import read_frame, write_frame

ORIGIN = "https://civiclearn.invalid"  # the base URL of PDF pages: it never leaves this process
STYLESHEET = Path(__file__).parent / "static" / "css" / "pdf.css"
FONT_FACES = "".join(
    f"@font-face {{ font-family: Sarabun; font-weight: {weight}; src: url({ORIGIN}/fonts/Sarabun-{name}.ttf); }}"
    for weight, name in ((400, "Regular"), (700, "Bold"))
)


class LocalFetcher(URLFetcher):
    """Answers WeasyPrint's requests from our own files only; anything else is refused."""

    def __init__(self, resources: dict | None = None):
        super().__init__(fail_on_errors=False)
        self.use(resources or {"static": str(STYLESHEET.parent.parent), "prefix": "", "courses": {}})

    def use(self, resources: dict) -> None:
        """What the next page may link to: {"static": the static folder, "prefix": the path the app is mounted
        under (pages link pictures with it), "courses": {course key: [its folder, {picture path: digest}]}}."""
        self.static_folder = Path(resources["static"])
        self.prefix = resources["prefix"]
        self.courses = resources["courses"]

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
        if self.prefix and path.startswith(self.prefix + "/"):
            path = path[len(self.prefix):]
        parts = [unquote(part) for part in path.split("/") if part]
        if not parts or any(part in (".", "..") or "/" in part or "\\" in part for part in parts):
            return None  # an encoded slash or a climb is never one of our files
        if parts[0] == "fonts" and len(parts) == 2:
            return _inside(fontpkg_sarabun.ROOT / "files", parts[1:])
        if parts[0] == "static":
            return _inside(self.static_folder, parts[1:])
        if parts[0] == "courses" and len(parts) > 3 and parts[2] == "media" and parts[1] in self.courses:
            folder, media = self.courses[parts[1]]
            return checked_media(folder, media, "/".join(parts[3:]))  # the media view's rule
        return None


def _inside(folder: Path, parts: list[str]) -> bytes | None:
    """The file at `folder` joined with `parts`, if it is a file still inside `folder`."""
    joined = safe_join(str(folder), *parts)
    return Path(joined).read_bytes() if joined and Path(joined).is_file() else None


def associate_files(_document, pdf: pydyf.PDF) -> None:
    """Make every embedded file an associated file of the document, as PDF/A-3 does (the catalog's /AF lists
    them, each with its /AFRelationship "Alternative"), without making the whole file PDF/A."""
    specs = [found for found in pdf.objects if isinstance(found, dict) and found.get("Type") == "/Filespec"]
    for spec in specs:
        spec["AFRelationship"] = "/Alternative"
    pdf.catalog["AF"] = pydyf.Array(spec.reference for spec in specs)


class PdfRenderer:
    """Holds what every PDF of this process shares: fonts, stylesheet, fetcher; renders one at a time."""

    def __init__(self):
        self.fetcher = LocalFetcher()
        self.fonts = FontConfiguration()
        self.stylesheet = CSS(string=FONT_FACES + STYLESHEET.read_text(encoding="utf-8"),
                              font_config=self.fonts, url_fetcher=self.fetcher, base_url=ORIGIN + "/")
        self.lock = threading.Lock()  # font configuration and layout are not shared across threads

    def render(self, html: str, resources: dict, attachments: list[dict] = ()) -> bytes:
        """The PDF of `html`; `attachments` are embedded files related to the document as an "Alternative" (a
        certificate's credential is the same award in another form)."""
        with self.lock:  # tagged: screen readers get the headings, lists and the pictures' alt text
            self.fetcher.use(resources)
            document = HTML(string=html, base_url=ORIGIN + "/", url_fetcher=self.fetcher)
            embedded = [Attachment(string=item["text"].encode(), name=item["name"], description=item["description"],
                                   relationship="Alternative") for item in attachments]
            return document.write_pdf(stylesheets=[self.stylesheet], font_config=self.fonts, pdf_tags=True,
                                      attachments=embedded, finisher=associate_files if embedded else None)


def serve(idle_seconds: float) -> None:
    """The helper's loop: a PDF for each request, until the pipe closes or nothing comes for `idle_seconds`."""
    requests, answers = sys.stdin.fileno(), os.dup(sys.stdout.fileno())
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # anything a library prints goes to the log, not the pipe
    renderer = None
    while select.select([requests], [], [], idle_seconds)[0]:
        request = read_frame(requests)
        if request is None:
            return
        page = json.loads(request)
        try:
            renderer = renderer or PdfRenderer()
            answer = b"+" + renderer.render(page["html"], page["resources"], page.get("attachments", []))
        except Exception as error:  # the web process raises it; the helper goes on
            answer = b"-" + f"{type(error).__name__}: {error}".encode()
        write_frame(answers, answer)


if __name__ == "__main__":
    serve(idle_seconds=float(sys.argv[1]))
