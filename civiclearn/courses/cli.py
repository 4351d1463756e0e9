"""`flask courses check`, `load` and `competences`: the course author's and the operator's tools."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from civiclearn.courses.competences import BY_CODE, competence_map, replace_map, taught
from civiclearn.courses.quiz_balance import measure
from civiclearn.courses.store import check_courses, load_courses, retire_course
from civiclearn.extensions import db

courses_cli = AppGroup("courses", help="Check, load and map course files.")

FOLDER = click.argument("folder", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))


def _folder(folder: Path | None) -> Path:
    return folder or Path(current_app.config["COURSES_DIR"])


@courses_cli.command("check")
@FOLDER
def check(folder: Path | None) -> None:
    """Check every course in FOLDER (default: the configured courses folder); print each problem, then each
    warning, as path:line: message, and each course's quiz balance figures (civiclearn.courses.quiz_balance)."""
    checked = check_courses(_folder(folder))
    problems = [problem for _source, _course, found in checked for problem in found]
    for problem in problems:
        click.echo(str(problem))
    balances = [(source, measure(course)) for source, course, _found in checked if course]
    warnings = [warning for source, balance in balances for warning in balance.warnings(source.shown)]
    for warning in warnings:
        click.echo(str(warning))
    for _source, balance in balances:
        click.echo(balance.summary(), err=True)
    if not checked:
        click.echo(f"no course found in {_folder(folder)} (a course is a folder with a course.yml)", err=True)
    broken = [source.key for source, _course, found in checked if found]
    click.echo(f"{len(checked)} course(s) checked, {len(problems)} problem(s)."
               + (f" Not loadable: {', '.join(broken)}." if broken else "")
               + (f" {len(warnings)} warning(s): they do not stop loading, but make quizzes easier to guess."
                  if warnings else ""), err=True)
    sys.exit(1 if problems or not checked else 0)


@courses_cli.command("load")
@FOLDER
def load(folder: Path | None) -> None:
    """Check and load every course in FOLDER; a course with problems is not loaded at all."""
    results = load_courses(_folder(folder))
    for result in results:
        for problem in result.problems:
            click.echo(str(problem))
        version = f" (version {result.version})" if result.version else ""
        click.echo(f"{result.key}: {result.status}{version}", err=True)
    if not results:
        click.echo(f"no course found in {_folder(folder)} (a course is a folder with a course.yml)", err=True)
    sys.exit(1 if not results or any(result.problems for result in results) else 0)


@courses_cli.command("competences")
@FOLDER
@click.option("--update", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Write the map into this Markdown file (docs/curriculum.md), between its markers, "
                   "instead of printing it.")
def competences(folder: Path | None, update: Path | None) -> None:
    """Print the map of every module in FOLDER against the 21 DigComp 2.2 competences, as Markdown: the table of
    docs/curriculum.md. Only courses that pass `flask courses check` can be mapped."""
    checked = check_courses(_folder(folder))
    problems = [problem for _source, _course, found in checked for problem in found]
    for problem in problems:
        click.echo(str(problem))
    if problems or not checked:
        click.echo("no course found" if not checked else f"{len(problems)} problem(s): fix them first "
                   "(see `flask courses check`), then map the courses", err=True)
        sys.exit(1)
    courses = [course for _source, course, _found in checked]
    new_map = competence_map(courses)
    if update is None:
        click.echo(new_map, nl=False)
        return
    try:
        update.write_text(replace_map(update.read_text(encoding="utf-8"), new_map), encoding="utf-8")
    except ValueError as error:
        click.echo(f"{update}: {error}", err=True)
        sys.exit(1)
    reached = sum(1 for count in taught(courses).values() if count)
    click.echo(f"{update}: competence map updated ({reached} of {len(BY_CODE)} DigComp 2.2 competences taught)",
               err=True)


@courses_cli.command("retire")
@click.argument("key")
def retire(key: str) -> None:
    """Stop serving the course KEY; learners' progress is kept, and `load` brings it back."""
    if not retire_course(key):
        click.echo(f"no course {key!r} is being served", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"{key}: retired", err=True)
