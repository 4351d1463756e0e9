"""`flask certificates issue`: the certificates of a cohort or class from the command line, with a progress bar."""

import sys
from contextlib import ExitStack

import click
from flask.cli import AppGroup

from civiclearn.centres.models import Cohort
from civiclearn.certificates import batches
from civiclearn.courses.store import catalogue
from civiclearn.extensions import db
from civiclearn.schools.models import SchoolClass

certificates_cli = AppGroup("certificates", help="Issue and print certificates.")


@certificates_cli.command("issue")
@click.option("--cohort", "cohort_id", type=int, help="The id of a cohort (from its centre page's address).")
@click.option("--class", "class_id", type=int, help="The id of a class (from its page's address).")
@click.option("--course", "course_key", required=True, help="The course's key, such as getting-started.")
def issue(cohort_id: int | None, class_id: int | None, course_key: str) -> None:
    """Issue the course's certificate to everyone in a cohort or class who finished it (never twice), and write
    one merged PDF to print and a ZIP of single PDFs; prints where they are."""
    if (cohort_id is None) == (class_id is None):
        raise click.UsageError("give either --cohort or --class")
    group = db.session.get(Cohort, cohort_id) if cohort_id is not None else db.session.get(SchoolClass, class_id)
    if group is None:
        raise click.UsageError(f"no {'cohort' if cohort_id is not None else 'class'} "
                               f"{cohort_id if cohort_id is not None else class_id}")
    course = catalogue().course(course_key)
    if course is None:
        served = ", ".join(each.key for each in catalogue().courses) or "none"
        raise click.UsageError(f"no course {course_key} is served (served: {served})")
    standings = batches.standings(group, course)
    waiting = [standing.person.display_name for standing in standings if not standing.qualifies]
    click.echo(f"{len(standings) - len(waiting)} of {len(standings)} learner(s) of {group.name} qualify for "
               f"{course.title.en}." + (f" Not yet: {', '.join(waiting)}." if waiting else ""))
    try:
        batch = batches.create(None, group, course)
    except batches.NobodyQualifies:
        click.echo("Nothing to print.", err=True)
        sys.exit(1)
    db.session.commit()
    with ExitStack() as stack:
        bar = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:
                bar = stack.enter_context(click.progressbar(length=total, label="Rendering certificates",
                                                            show_pos=True))
            bar.update(done - bar.pos)
        batch = batches.run(batch.id, progress=progress)
    if batch is None or batch.status != "done":
        click.echo(f"The batch failed: {batch.error}" if batch else "The batch is being made by another process.",
                   err=True)
        sys.exit(1)
    click.echo(f"{batch.done} certificate(s) in batch {batch.id}:")
    for path in (batches.merged_file(batch), batches.zip_file(batch)):
        if path:
            click.echo(f"  {path}")
