"""The one way CivicLearn makes PDFs: a template rendered to HTML, then to PDF with WeasyPrint (set up in
civiclearn.pdf_engine: fonts and stylesheet loaded once per process, a fetcher that serves only our own files).
WeasyPrint is imported on the first PDF a process makes, not when the app starts."""

from flask import current_app, render_template


def render_pdf(template: str, **context) -> bytes:
    """Render `template` with `context` to a PDF; the first call in a process sets the renderer up."""
    app = current_app._get_current_object()
    renderer = app.extensions.get("civiclearn.pdf")
    if renderer is None:
        from civiclearn.pdf_engine import PdfRenderer
        renderer = app.extensions.setdefault("civiclearn.pdf", PdfRenderer(app))
    return renderer.render(render_template(template, **context))
