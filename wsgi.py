"""The WSGI entry point: `gunicorn wsgi:app`."""

import gc

from civiclearn import create_app
from civiclearn.extensions import db

app = create_app()
with app.app_context():
    db.engine.dispose()  # gunicorn --preload forks the workers from here: none may inherit a database connection
# What start-up made (modules, the app, templates) lives as long as the process: leave it out of the garbage
# collector's passes, which otherwise walk all of it whenever a large page (a dashboard of thousands of
# learners) allocates enough to trigger a full collection. About a third of such a page's time.
gc.freeze()
