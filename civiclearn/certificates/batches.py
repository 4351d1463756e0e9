"""Certificates of a whole cohort or class at once: issued (or found), rendered, and written as one merged PDF to
print and a ZIP of single PDFs, in the instance folder where every gunicorn worker can serve them.

A batch of up to SMALL_BATCH certificates is made within the request (about a second). A larger one is a
background job (civiclearn.jobs: run by a job worker from Redis, or by a thread of this process on a PC without
Redis), rendering in a pool of processes (WeasyPrint uses one core; the pool uses them all). Its progress is in
the database, so any worker shows it. If its process dies, its heartbeat goes stale, the page says it stalled, and
it can be resumed: issuing is idempotent (one current certificate per person and award), so running a batch again
never duplicates a certificate.

Unlike services, the runner commits as it goes: progress must be seen by other processes while it runs, and what
it issued must survive a crash. Files are written under a temporary name and renamed once complete.
"""

import gc
import io
import os
import re
import shutil
import threading
import time
import zipfile
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from itertools import islice
from pathlib import Path

from flask import Flask, current_app, has_request_context
from sqlalchemy import and_, or_, select, update

from civiclearn import codes, jobs
from civiclearn.accounts.models import User
from civiclearn.audit.services import record
from civiclearn.centres.models import Cohort, Enrolment
from civiclearn.centres.services import cohort_learners
from civiclearn.certificates import services
from civiclearn.certificates.document import attachments_of, certificate_pdf
from civiclearn.certificates.models import Certificate, CertificateBatch
from civiclearn.courses.schema import Course
from civiclearn.courses.store import catalogue
from civiclearn.database import utcnow
from civiclearn.extensions import db
from civiclearn.learning.services import course_status
from civiclearn.pdf import render_here
from civiclearn.schools.models import ClassMember, SchoolClass
from civiclearn.schools.services import members_of

SMALL_BATCH = 20  # certificates made within the request, in this process: about 40 ms each
KEEP_FILES_FOR = timedelta(days=30)  # the files hold names: printed by then, or made again in a minute
STALE_AFTER = timedelta(seconds=60)  # a batch silent this long has lost its process (it beats every second or so)
CHUNK = 10  # certificates per task sent to a worker process
ATTACHMENTS = "attachments"  # a row's files to embed, beside its columns
BEAT_SECONDS = 1.0  # how often a running batch writes its progress
ISSUE_SLICE = 50  # people issued per transaction: SQLite has one writer, learners must not wait long
MERGED_NAME = "certificates.pdf"
ZIP_NAME = "certificates.zip"
UNSAFE_IN_NAMES = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')  # what Windows or a ZIP path cannot hold

Group = Cohort | SchoolClass


class NobodyQualifies(ValueError):
    """No learner of the group has finished the course (or holds a valid certificate of it)."""


@dataclass
class Standing:
    """Where one learner of the group stands for the course's certificate."""

    person: User
    modules_finished: int
    modules: int
    certificate: Certificate | None  # the one they hold, if any

    @property
    def qualifies(self) -> bool:
        if self.certificate is not None:
            return services.status(self.certificate) == "valid"
        return self.modules > 0 and self.modules_finished == self.modules

    @property
    def revoked(self) -> bool:
        return self.certificate is not None and not self.qualifies


def members(group: Group) -> list[User]:
    """The learners of a cohort or class, by name (people who deleted their data are not among them)."""
    return cohort_learners(group) if isinstance(group, Cohort) else members_of(group)


def member_ids(group: Group):
    """A select of the ids of the cohort's or class's learners, for the queries over their progress."""
    if isinstance(group, Cohort):
        return select(Enrolment.person_id).where(Enrolment.cohort_id == group.id)
    return select(ClassMember.person_id).where(ClassMember.class_id == group.id)


def group_of(batch: CertificateBatch) -> Group:
    return db.session.get(Cohort, batch.cohort_id) if batch.cohort_id else db.session.get(SchoolClass, batch.class_id)


def served_course(course_id: int) -> Course | None:
    """The course of a batch, as served now (None once retired)."""
    return next((course for course in catalogue().courses if course.id == course_id), None)


def standings(group: Group, course: Course) -> list[Standing]:
    """Every learner of the group, with how far they are in the course and the certificate they hold."""
    award = services.course_award(course)
    return [Standing(person, sum(status.complete for status in course_status(person, course).values()),
                     len(course.modules), services.current_certificate(person.id, award.key))
            for person in members(group)]


def create(actor: User | None, group: Group, course: Course) -> CertificateBatch:
    """A queued batch for the course's certificates of the group. Raises NobodyQualifies. Flushes."""
    ready = sum(standing.qualifies for standing in standings(group, course))
    if not ready:
        raise NobodyQualifies(course.key)
    forget_old_files()
    is_cohort = isinstance(group, Cohort)
    batch = CertificateBatch(cohort_id=group.id if is_cohort else None, class_id=None if is_cohort else group.id,
                             course_id=course.id, requested_by_id=actor.id if actor else None, total=ready)
    db.session.add(batch)
    db.session.flush()
    record(actor, "certificate.batch", "cohort" if is_cohort else "class", group.id, batch=batch.id,
           course=course.key, certificates=ready)
    return batch


def forget_old_files() -> None:
    """Delete the files of batches finished more than KEEP_FILES_FOR ago: we keep no copy of names we do not need
    (the certificates themselves stay, and a batch made again finds them)."""
    old = select(CertificateBatch).where(CertificateBatch.finished_at < utcnow() - KEEP_FILES_FOR)
    for batch in db.session.scalars(old):
        shutil.rmtree(folder(batch), ignore_errors=True)


def batches_of(group: Group, limit: int = 10) -> list[CertificateBatch]:
    """The group's latest batches, newest first: their files stay downloadable."""
    column = CertificateBatch.cohort_id if isinstance(group, Cohort) else CertificateBatch.class_id
    return db.session.scalars(select(CertificateBatch).where(column == group.id)
                              .order_by(CertificateBatch.id.desc()).limit(limit)).all()


def in_progress(group: Group, course: Course) -> CertificateBatch | None:
    """A batch of the same certificates still being made (not stalled), so a second click waits for it."""
    return next((batch for batch in batches_of(group) if batch.course_id == course.id
                 and batch.status in ("queued", "running") and not is_stalled(batch)), None)


def is_stalled(batch: CertificateBatch) -> bool:
    """Queued or running, yet silent for too long: the process making it has gone."""
    return (batch.status in ("queued", "running")
            and (batch.heartbeat_at or batch.created_at) < utcnow() - STALE_AFTER)


def folder(batch: CertificateBatch) -> Path:
    """Where a batch's files are: the instance folder, shared by every worker of this server."""
    return Path(current_app.config["CERTIFICATE_BATCHES_DIR"]) / str(batch.id)


def merged_file(batch: CertificateBatch) -> Path | None:
    path = folder(batch) / MERGED_NAME
    return path if batch.status == "done" and path.is_file() else None


def zip_file(batch: CertificateBatch) -> Path | None:
    path = folder(batch) / ZIP_NAME
    return path if batch.status == "done" and path.is_file() else None


def start(batch: CertificateBatch) -> None:
    """Make a small batch now; a larger one as a background job (civiclearn.jobs: a job worker when Redis is
    configured, else a thread of this process). The batch must be committed already."""
    if batch.total <= SMALL_BATCH:
        run(batch.id)
    else:
        jobs.enqueue("civiclearn.certificates.batches.run", batch.id, job_id=f"certificate-batch-{batch.id}")


def claim(batch_id: int) -> bool:
    """Take the batch to run, unless a live process runs it: one conditional UPDATE, so two claims cannot both win."""
    now = utcnow()
    claimable = or_(CertificateBatch.status.in_(("queued", "failed")),
                    and_(CertificateBatch.status == "running", CertificateBatch.heartbeat_at < now - STALE_AFTER))
    claimed = db.session.execute(
        update(CertificateBatch).where(CertificateBatch.id == batch_id, claimable)
        .values(status="running", heartbeat_at=now, done=0, error=None, finished_at=None)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return claimed == 1


def run(batch_id: int, progress: Callable[[int, int], None] | None = None,
        processes: int | None = None) -> CertificateBatch | None:
    """Issue (or find) the batch's certificates and write its files; `progress(done, total)` as it goes.
    `processes`: rendering processes (default: this one for a small batch, else one per core).
    Returns the batch, done or failed; None if a live process is running it already."""
    if not claim(batch_id):
        return None
    batch = db.session.get(CertificateBatch, batch_id)
    try:
        course = served_course(batch.course_id)
        if course is None:
            raise LookupError(f"course {batch.course_id} is not served any more")
        if processes is None:
            processes = 1 if batch.total <= SMALL_BATCH else os.cpu_count() or 1
        make_files(batch, course, processes, progress or (lambda done, total: None))
        batch.status, batch.finished_at = "done", utcnow()
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        current_app.logger.exception("certificate batch %s failed", batch_id)
        batch = db.session.get(CertificateBatch, batch_id)
        batch.status, batch.finished_at = "failed", utcnow()
        batch.error = f"{type(error).__name__}: {error}"[:2000]
        db.session.commit()
    return batch


def beat(batch: CertificateBatch) -> None:
    """Show that the batch is alive (and how far it is): commit its progress."""
    batch.heartbeat_at = utcnow()
    db.session.commit()


def issued(batch: CertificateBatch, course: Course) -> Iterator[dict]:
    """The fields of each valid certificate of the group's learners who finished the course, in the group's order:
    issued now (only to those who finished) or found. Commits every ISSUE_SLICE people."""
    award = services.course_award(course)
    people = members(group_of(batch))
    for start in range(0, len(people), ISSUE_SLICE):
        ids = []
        for person in people[start:start + ISSUE_SLICE]:
            held = (services.current_certificate(person.id, award.key)
                    or services.issue_if_course_complete(person, course))
            if held is not None and services.status(held) == "valid":
                ids.append(held.id)
        beat(batch)
        found = {certificate.id: certificate
                 for certificate in db.session.scalars(select(Certificate).where(Certificate.id.in_(ids)))}
        yield from (fields(found[certificate_id]) for certificate_id in ids)


def fields(certificate: Certificate) -> dict:
    """What a worker process needs to render a certificate without the database: its columns, and the files its PDF
    carries (made here, where the database is: `document.attachments_of`)."""
    return {column.key: getattr(certificate, column.key) for column in Certificate.__table__.columns} \
        | {ATTACHMENTS: attachments_of(certificate)}


def rendered(rows: list[dict]) -> list[bytes]:
    """The PDFs of rows of `fields`."""
    return [certificate_pdf(Certificate(**{key: value for key, value in row.items() if key != ATTACHMENTS}),
                            row[ATTACHMENTS]) for row in rows]


def entry_name(row: dict) -> str:
    """A single PDF's name in the ZIP: the holder's name and the code (which keeps names apart)."""
    name = " ".join(UNSAFE_IN_NAMES.sub(" ", row["holder_name"]).split()).strip(". ") or "certificate"
    return f"{name} {codes.display(row['code'])}.pdf"


def make_files(batch: CertificateBatch, course: Course, processes: int, progress: Callable[[int, int], None]) -> None:
    """Issue, render and write as a pipeline: chunks go to the renderers as they are issued, and their PDFs into
    the ZIP and the merged PDF as they come back, in order. Both files are renamed into place once complete."""
    target = folder(batch)
    target.mkdir(parents=True, exist_ok=True)
    suffix = f".part-{os.getpid()}-{threading.get_ident()}"
    merged_part, zip_part = target / (MERGED_NAME + suffix), target / (ZIP_NAME + suffix)
    merged = MergedPdf()
    pending: deque[tuple[list[dict], Future]] = deque()
    last_beat = time.monotonic()

    def write_rendered(wait: bool) -> None:
        nonlocal last_beat
        while pending and (wait or pending[0][1].done()):
            chunk, future = pending.popleft()
            for row, pdf in zip(chunk, future.result(), strict=True):
                archive.writestr(entry_name(row), pdf)
                merged.append(pdf, f"{row['holder_name']} {codes.display(row['code'])}")
            batch.done += len(chunk)
            batch.total = max(batch.total, batch.done)
            progress(batch.done, batch.total)
            if time.monotonic() - last_beat >= BEAT_SECONDS:
                beat(batch)
                last_beat = time.monotonic()

    try:
        with zipfile.ZipFile(zip_part, "w", zipfile.ZIP_STORED) as archive, renderer(processes) as render:
            progress(0, batch.total)
            rows = issued(batch, course)
            while chunk := list(islice(rows, CHUNK)):
                pending.append((chunk, render(chunk)))
                write_rendered(wait=False)
            batch.total = batch.done + sum(len(chunk) for chunk, _future in pending)  # all issued: the true count
            beat(batch)
            write_rendered(wait=True)
        if batch.done:
            merged.save(merged_part)
            os.replace(merged_part, target / MERGED_NAME)
            os.replace(zip_part, target / ZIP_NAME)
    finally:
        merged_part.unlink(missing_ok=True)
        zip_part.unlink(missing_ok=True)


class MergedPdf:
    """The batch's certificates in one PDF, with a bookmark per certificate to find a learner's page.
    qpdf (through pikepdf) copies a page about ten times faster than pypdf: 1,000 pages merge in about a second."""

    def __init__(self) -> None:
        import pikepdf  # (imported by the process that merges a batch, not by every web process)
        self.pikepdf = pikepdf
        self.pdf = pikepdf.Pdf.new()
        self.sources: list[pikepdf.Pdf] = []  # copied pages read their streams from these until saved
        self.bookmarks: list[tuple[str, int]] = []

    def append(self, pdf: bytes, title: str) -> None:
        source = self.pikepdf.Pdf.open(io.BytesIO(pdf))
        self.sources.append(source)
        self.bookmarks.append((title, len(self.pdf.pages)))
        self.pdf.pages.extend(source.pages)

    def save(self, path: Path) -> None:
        with self.pdf.open_outline() as outline:
            outline.root.extend(self.pikepdf.OutlineItem(title, page) for title, page in self.bookmarks)
        self.pdf.save(path, object_stream_mode=self.pikepdf.ObjectStreamMode.generate)  # about a sixth smaller


@contextmanager
def renderer(processes: int) -> Iterator[Callable[[list[dict]], Future]]:
    """A function rendering a chunk of rows to PDFs, as a Future: in this process, or in a pool of `processes`."""
    if processes <= 1:
        def render_here(rows: list[dict]) -> Future:
            future = Future()
            future.set_result(rendered(rows))
            return future
        with nullcontext() if has_request_context() else current_app.test_request_context():
            yield render_here
        return
    # Imported here, where a batch runs (the job worker): a web server does not hold multiprocessing for nothing.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # "spawn": the web process has threads, and forking a process with threads can deadlock the child.
    pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"),
                               initializer=start_worker,
                               initargs=(current_app.extensions["civiclearn.factory"], dict(current_app.config)))
    try:
        for _ in range(processes):
            pool.submit(int)  # start every process now: they build their app while certificates are issued
        yield partial(pool.submit, render_chunk)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


_worker_app: Flask | None = None  # in a worker process: its app, built once, with the fonts loaded on first use


def start_worker(create_app: Callable[[dict], Flask], settings: dict) -> None:
    """In a new worker process: build the app with the parent's factory (`create_app`, sent by reference, so this
    feature does not import the app that is built on it) and settings (the parent's may come from a test)."""
    global _worker_app
    _worker_app = create_app(settings)
    with _worker_app.app_context():
        render_here()  # this process is here to make PDFs: no helper of its own
    # A render allocates many short-lived objects: leave the app's long-lived ones out of every collection,
    # and collect less often (about 8% less time per certificate; the process holds nothing else).
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)


def render_chunk(rows: list[dict]) -> list[bytes]:
    """In a worker process: the PDFs of a few certificates. Templates need a request; no database is used."""
    with _worker_app.test_request_context():
        return rendered(rows)
