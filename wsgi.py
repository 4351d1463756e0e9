"""The WSGI entry point: `gunicorn wsgi:app` (deploy/gunicorn.conf.py prepares it for the workers)."""

from civiclearn import create_app

app = create_app()
