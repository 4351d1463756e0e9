"""Backing up the database, and restoring a backup: `flask backup create FILE`, `flask backup restore FILE`.

- SQLite (a centre's PC): SQLite's online backup, a consistent copy taken while the app keeps serving (copying the
  file with `cp` can catch a write half done). Restoring copies the backup back the same way, page by page, in one
  transaction: the database is either all the backup or unchanged.
- PostgreSQL (a server): `pg_dump` in its custom format, and `pg_restore --clean` (the client tools of the
  server's version, on the PATH). Stop the web service and job workers before restoring.

A backup holds everything about everyone (names, PIN hashes): keep it where only the operator can read it; the
files are created readable by their owner only. Back up `instance/secret_key` too on a PC (it signs sessions).
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from civiclearn.extensions import db


class BackupFailed(RuntimeError):
    """A client tool refused, or the file is not a backup of this kind of database."""


def create(target: Path) -> None:
    """Write a backup of the app's database to `target` (replaced if it exists)."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    partial.touch(mode=0o600)
    try:
        if url.get_backend_name() == "sqlite":
            _sqlite_copy(Path(url.database), partial)
        else:
            _run(["pg_dump", "--format=custom", "--no-owner", f"--file={partial}", _libpq(url)])
        os.replace(partial, target)  # a backup file is whole, or not there
    finally:
        partial.unlink(missing_ok=True)


def restore(source: Path) -> None:
    """Replace the app's database with the backup in `source`."""
    if not source.is_file():
        raise BackupFailed(f"{source} is not a file")
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    db.session.remove()
    db.engine.dispose()  # the app's own connections would hold locks the restore waits for
    if url.get_backend_name() == "sqlite":
        _check_sqlite(source)
        _sqlite_copy(source, Path(url.database))
    else:
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              f"--dbname={_libpq(url)}", str(source)])


def _sqlite_copy(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as reading, sqlite3.connect(target) as writing:
        reading.backup(writing)
    reading.close()
    writing.close()


def _check_sqlite(source: Path) -> None:
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as backup:
            backup.execute("SELECT count(*) FROM alembic_version").fetchone()
        backup.close()
    except sqlite3.DatabaseError as error:
        raise BackupFailed(f"{source} is not a CivicLearn backup of a SQLite database ({error})") from error


def _libpq(url) -> str:
    """The SQLAlchemy URL as the PostgreSQL client tools read it (no +psycopg)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupFailed(f"{command[0]} is not installed: install the PostgreSQL client of the server's version")
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupFailed(f"{command[0]} failed: {done.stderr.strip()}")


@click.group("backup", help="Back up the database, or restore a backup.")
def backup_cli() -> None:
    pass


@backup_cli.command("create")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def create_command(target: Path) -> None:
    """Write a backup of the database to TARGET (the app may keep running)."""
    try:
        create(target)
    except BackupFailed as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up to {target} ({target.stat().st_size:,} bytes).")


@backup_cli.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask first.")
@with_appcontext
def restore_command(source: Path, yes: bool) -> None:
    """Replace the database with the backup in SOURCE (stop the web service and job workers first)."""
    if not yes:
        click.confirm(f"Replace everything in the database with {source}?", abort=True)
    try:
        restore(source)
    except BackupFailed as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored from {source}. Run `flask db upgrade` if the backup is older than this version.")
