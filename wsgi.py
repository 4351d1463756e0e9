"""The WSGI entry point: `gunicorn wsgi:app`."""

from civiclearn import create_app

app = create_app()
