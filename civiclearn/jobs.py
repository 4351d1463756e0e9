"""Background jobs: one interface, two ways to run them.

- **A queue** (`CIVICLEARN_JOBS_REDIS_URL` set): jobs wait in Redis and job workers run them (`flask jobs worker`:
  deploy/civiclearn-jobs.service, the Procfile's `jobs:` line). A web worker restarted, or a second app server,
  loses nothing: the job is in Redis, and any job worker of any machine takes it. RQ, because it is the plain,
  maintained Redis queue of the Python world: a job is a function and its arguments, a worker forks one process
  per job (a crash takes only that job), burst mode runs what waits and stops (tests, cron). Dramatiq would add
  brokers and middleware we do not need.
- **In this process** (no Redis: one centre PC): a daemon thread of the process that enqueued the job runs it.

Either way a job is a function named by its import path, with plain arguments (ids), run inside an app context,
and committing its own work. It must be safe to run twice: a worker killed in the middle, or a "go on" after a
stop, runs it again (certificate batches claim their row first and never issue twice).
"""

import os
import threading
from datetime import timedelta
from typing import TYPE_CHECKING

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from werkzeug.utils import import_string

from civiclearn.extensions import db

if TYPE_CHECKING:
    from rq import Queue

DEFAULT_TIMEOUT = 3600  # seconds a job may run before the worker stops it (a batch of thousands takes minutes)

_worker_app: Flask | None = None  # in a job worker: the app its jobs run in (a forked job process inherits it)
_worker_pid: int | None = None  # the job worker's own process: a job in another one opens its own connections


def uses_queue(app: Flask | None = None) -> bool:
    return bool((app or current_app).config.get("JOBS_REDIS_URL"))


def queue(app: Flask | None = None) -> "Queue":
    """The app's job queue in Redis. (RQ and redis are imported when a queue is used: 20 MB a PC without one
    does not need.)"""
    from redis import Redis
    from rq import Queue
    app = app or current_app
    # One client (and its pool of connections) per app, not a new connection for every job or health check.
    connection = app.extensions.get("civiclearn.jobs_redis")
    if connection is None:
        connection = app.extensions.setdefault("civiclearn.jobs_redis", Redis.from_url(app.config["JOBS_REDIS_URL"]))
    return Queue(app.config["JOBS_QUEUE"], connection=connection)


def enqueue(function: str, *args, job_id: str | None = None, timeout: int = DEFAULT_TIMEOUT) -> None:
    """Run `function` (an import path: "civiclearn.certificates.batches.run") with `args` in the background.
    Commit what the job reads before enqueuing it: it runs in another transaction, maybe on another machine."""
    if uses_queue():
        queue().enqueue(perform, function, *args, job_id=job_id, job_timeout=timeout)
        return
    app = current_app._get_current_object()
    threading.Thread(target=_perform_in, args=(app, function, args), name=job_id or function, daemon=True).start()


def enqueue_in(seconds: float, function: str, *args) -> None:
    """Run `function` with `args` in the background once `seconds` have passed (a retry with back-off). On the
    queue, the job worker's scheduler keeps it (in Redis: a restart loses nothing); in this process, a timer
    (lost with the process: a job whose row says when it is due must also be found by a sweep)."""
    if uses_queue():
        queue().enqueue_in(timedelta(seconds=seconds), perform, function, *args)
        return
    timer = threading.Timer(seconds, _perform_in, args=(current_app._get_current_object(), function, args))
    timer.daemon = True
    timer.start()


def _perform_in(app: Flask, function: str, args: tuple) -> None:
    with app.app_context():
        import_string(function)(*args)


def perform(function: str, *args) -> None:
    """What a job worker runs for each job: the function, in the worker's app."""
    if _worker_pid != os.getpid():
        db.engine.dispose(close=False)  # a forked job process must not share its parent's database connections
    with _worker_app.app_context():
        import_string(function)(*args)


def work(app: Flask, burst: bool = False, forking: bool = True) -> bool:
    """Run the app's jobs as they come (until stopped); `burst`: only those waiting now. Returns whether any ran.
    `forking`: each job in a process of its own (the default); without, in this process (tests, debugging)."""
    from rq import SimpleWorker, Worker
    global _worker_app, _worker_pid
    _worker_app, _worker_pid = app, os.getpid()
    jobs = queue(app)
    worker_class = Worker if forking else SimpleWorker
    # The scheduler moves jobs whose time has come (enqueue_in) onto the queue; a burst run has no future to wait for.
    return worker_class([jobs], connection=jobs.connection).work(burst=burst, with_scheduler=not burst)


@click.group("jobs", help="Background jobs (certificate batches, grade sends): the job worker.")
def jobs_cli() -> None:
    pass


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Run the jobs waiting now, then stop.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run background jobs from the Redis queue (CIVICLEARN_JOBS_REDIS_URL)."""
    app = current_app._get_current_object()
    if not uses_queue(app):
        raise click.UsageError("CIVICLEARN_JOBS_REDIS_URL is not set: without Redis, jobs run inside the web "
                               "process and no job worker is needed.")
    click.echo(f"Job worker on {app.config['JOBS_REDIS_URL']}, queue {app.config['JOBS_QUEUE']}")
    work(app, burst=burst)
