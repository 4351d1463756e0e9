"""Flask extensions, created unbound here and bound to the app in create_app(); Flask-Migrate bound on first use."""

from pathlib import Path

import click
from flask import current_app
from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from civiclearn.database import Model

# Objects stay readable after the request's one commit, instead of being re-read from the database.
db = SQLAlchemy(model_class=Model, session_options={"expire_on_commit": False})
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


class ViewLimiter(Limiter):
    """Flask-Limiter with limits declared on views only, each checked by its own decorator. Flask-Limiter also
    checks every request before its view, for limits on the whole app, a blueprint or by default: CivicLearn has
    none (tests/test_security.py says so), and that check found nothing at a tenth of a public page's time."""

    def _check_request_limit(self, callable_name: str | None = None, in_middleware: bool = True) -> None:
        if not in_middleware:  # a view's decorator asks
            super()._check_request_limit(callable_name, in_middleware)


limiter = ViewLimiter(key_func=get_remote_address)
compress = Compress()


def migrations():
    """Flask-Migrate (its upgrade, downgrade, ...), bound to the current app on first use: it imports Alembic, 11 MB
    that a web worker never needs (deploy/prepare and `flask db` migrate, before the server starts)."""
    import flask_migrate

    app = current_app._get_current_object()
    if "migrate" not in app.extensions:  # batch mode lets SQLite alter tables
        flask_migrate.Migrate(app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True)
    return flask_migrate


class MigrationCommands(click.Command):
    """`flask db ...`: Flask-Migrate's commands, loaded when one of them is asked for; everything after `db` (--help
    included) is theirs. (Flask's command line has pushed the app's context by then.)"""

    def __init__(self) -> None:
        super().__init__("db", help="Perform database migrations (Flask-Migrate).", add_help_option=False,
                         context_settings={"ignore_unknown_options": True, "allow_extra_args": True})

    def invoke(self, ctx: click.Context):
        migrations()
        from flask_migrate.cli import db as commands
        return commands.main(args=ctx.args, prog_name=ctx.command_path, obj=ctx.obj, standalone_mode=False)


migration_commands = MigrationCommands()
