"""gunicorn's settings for CivicLearn: deploy/serve (and so `make run`) and the benchmarks read this one file.

BIND (default 127.0.0.1:8000) and WORKERS (default 2) come from the environment; arguments on the command line
win over this file.
"""

import gc
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WORKERS", "2"))
threads = 4
# The app is built once, in the master, and the workers are forked from it: they share its memory page by page
# until one of them writes to a page (see when_ready).
preload_app = True
# A kiosk learner reads a lesson for longer than gunicorn's 2 s default. A browser that sends its next request on
# a connection the server has just closed gets an error (a POST is not always sent again): keep a quiet
# connection open as long as nginx does with browsers. Idle connections wait in the poller, not in a thread.
keepalive = 75
forwarded_allow_ips = "127.0.0.1"
# A listening socket for each worker (SO_REUSEPORT): the kernel shares new connections out between the workers.
# On one shared socket, connections opened together (a room of kiosks starting a class) could all go to the
# worker that woke first, and a worker's Python runs on one core at a time: the other core idled (hello world
# 2,400-2,900 instead of 7,000-8,000 requests/s in about half of wrk's runs). A Unix socket stays shared: each
# worker would take its path over.
reuse_port = not bind.startswith("unix:")

# No garbage collection while the app is built: a collection leaves holes in pages the workers will share, and
# their new objects fill the holes, copying each page.
gc.disable()


def when_ready(server):
    """In the master, the app loaded, before the workers are forked: build what each worker would otherwise build
    for itself (civiclearn.prepare_for_workers), then freeze it all out of later collections, which would write
    to every object (and walk them all whenever a large page triggers a full collection)."""
    app = server.app.wsgi() if server.cfg.preload_app else None
    if getattr(app, "name", None) == "civiclearn":
        from civiclearn import prepare_for_workers
        prepare_for_workers(app)
    gc.freeze()
    gc.enable()
