"""The roster import as a job, the dry run, and the one-time credentials.

Who may import was checked by the caller (the admin view: superusers and
the school's administrators; the command: whoever runs manage.py)."""

import datetime
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from accounts.services import audit_record
from classes.selectors import current_term
from students.models import RosterImport

from .problems import FileProblem, Problem
from .reading import read_table
from .validation import SchoolContext, validate
from .writing import Written, students_write, teachers_write

logger = logging.getLogger(__name__)

Status = RosterImport.Status


@dataclass
class Outcome:
    """What a check (and, if clean, a write) found."""

    kind: str = ""
    total_rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    records: list = field(default_factory=list)
    written: Written | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def errors(self) -> list[dict]:
        return [p.as_dict() for p in self.problems]


def roster_import_create(*, school, uploaded_by, file_name: str, content: bytes) -> RosterImport:
    """Store an uploaded file as a queued import (nothing is read yet)."""
    roster_import = RosterImport(
        school=school, uploaded_by=uploaded_by, file_name=file_name[-255:] or "roster", content=content
    )
    roster_import.full_clean(exclude=["content"])
    roster_import.save()
    return roster_import


@transaction.atomic
def roster_import_submit(*, school, uploaded_by, file_name: str, content: bytes) -> RosterImport:
    """Store the file and run the import on a worker once this transaction commits."""
    from students.tasks import roster_import_run as task

    roster_import = roster_import_create(school=school, uploaded_by=uploaded_by, file_name=file_name, content=content)
    task.delay_on_commit(roster_import.pk)
    return roster_import


def roster_import_run(*, import_id: int) -> RosterImport | None:
    """Run a queued import: check every row (progress committed in batches,
    so the progress page sees it), then write everything in one
    transaction, or nothing when any row is wrong.

    Idempotent per import: the row is claimed with a conditional UPDATE
    from queued to validating; a second run (a redelivered task, two
    workers) finds nothing to claim, does nothing and returns None.
    Writes one audit row: students.roster.imported, .rejected or .failed.
    Must not run inside a transaction, or the progress is not seen.
    """
    claimed = RosterImport.objects.filter(pk=import_id, status=Status.QUEUED).update(
        status=Status.VALIDATING, started_at=timezone.now()
    )
    if claimed != 1:
        return None
    roster_import = RosterImport.objects.select_related("school", "uploaded_by").get(pk=import_id)
    try:
        _run(roster_import)
    except Exception:
        logger.exception("Roster import %s failed", import_id)
        _fail(roster_import)
        raise
    return roster_import


def _run(roster_import: RosterImport) -> None:
    def progress(rows_done: int) -> None:
        RosterImport.objects.filter(pk=roster_import.pk).update(processed_rows=rows_done)

    def started(kind: str, total_rows: int) -> None:
        roster_import.kind, roster_import.total_rows = kind, total_rows
        RosterImport.objects.filter(pk=roster_import.pk).update(kind=kind, total_rows=total_rows)

    outcome, ctx = _check(roster_import.school, bytes(roster_import.content), started=started, progress=progress)
    if not outcome.ok:
        _reject(roster_import, outcome)
        return
    RosterImport.objects.filter(pk=roster_import.pk).update(status=Status.WRITING)
    with transaction.atomic():
        outcome.written = _write(outcome, ctx, actor=roster_import.uploaded_by)
        _finish(roster_import, outcome)


def roster_dry_run(*, school, content: bytes) -> Outcome:
    """Check a file and, if it is clean, write it inside a transaction that
    is rolled back: the counts say what an import would do; nothing stays
    and no audit row is kept."""
    outcome, ctx = _check(school, content)
    if outcome.ok:
        with transaction.atomic():
            outcome.written = _write(outcome, ctx, actor=None)
            transaction.set_rollback(True)
    return outcome


def _check(school, content: bytes, *, started=None, progress=None) -> tuple[Outcome, SchoolContext | None]:
    term = current_term(school)
    try:
        if term is None:
            raise FileProblem("no_current_term")
        table = read_table(content)
    except FileProblem as exc:
        return Outcome(problems=[exc.problem]), None
    if started:
        started(table.kind, len(table.rows))
    ctx = SchoolContext.load(school, term)
    checked = validate(table, ctx, progress=progress)
    outcome = Outcome(kind=table.kind, total_rows=len(table.rows), problems=checked.problems, records=checked.records)
    return outcome, ctx


def _write(outcome: Outcome, ctx: SchoolContext, *, actor) -> Written:
    if outcome.kind == RosterImport.Kind.STUDENTS:
        return students_write(outcome.records, ctx, actor=actor, on_date=_enrollment_date(ctx.term))
    return teachers_write(outcome.records, ctx, actor=actor)


def _enrollment_date(term) -> datetime.date:
    """Today, kept inside the school year (an import in August enrols from the first day)."""
    year = term.school_year
    return min(max(timezone.localdate(), year.start_date), year.end_date)


def _finish(roster_import: RosterImport, outcome: Outcome) -> None:
    counts = outcome.written.counts
    roster_import.status = Status.DONE
    roster_import.processed_rows = roster_import.total_rows
    roster_import.report = {"errors": [], "counts": counts}
    roster_import.credentials = outcome.written.credentials
    roster_import.finished_at = timezone.now()
    roster_import.save(update_fields=["status", "processed_rows", "report", "credentials", "finished_at"])
    audit_record(
        actor=roster_import.uploaded_by,
        school=roster_import.school,
        action="students.roster.imported",
        target=roster_import,
        data={"kind": outcome.kind, "rows": outcome.total_rows, **counts},
    )


def _reject(roster_import: RosterImport, outcome: Outcome) -> None:
    roster_import.status = Status.REJECTED
    roster_import.processed_rows = roster_import.total_rows
    roster_import.report = {"errors": outcome.errors, "counts": {}}
    roster_import.finished_at = timezone.now()
    roster_import.save(update_fields=["status", "processed_rows", "report", "finished_at"])
    audit_record(
        actor=roster_import.uploaded_by,
        school=roster_import.school,
        action="students.roster.rejected",
        target=roster_import,
        data={"kind": outcome.kind, "rows": outcome.total_rows, "errors": len(outcome.problems)},
    )


def _fail(roster_import: RosterImport) -> None:
    report = {"errors": [Problem(code="internal_error").as_dict()], "counts": {}}
    RosterImport.objects.filter(pk=roster_import.pk).update(
        status=Status.FAILED, report=report, finished_at=timezone.now()
    )
    audit_record(
        actor=roster_import.uploaded_by,
        school=roster_import.school,
        action="students.roster.failed",
        target=roster_import,
    )


@transaction.atomic
def roster_credentials_take(*, roster_import: RosterImport, actor) -> list[dict] | None:
    """The one-time passwords of the accounts an import created, handed out
    once: the stored copy is cleared and an audit row says who took them.
    None when they were taken before. The caller checked that `actor` may
    see this import."""
    locked = (
        RosterImport.objects.select_for_update().defer("content").select_related("school").get(pk=roster_import.pk)
    )
    if not locked.credentials:
        return None
    credentials = locked.credentials
    locked.credentials = []
    locked.save(update_fields=["credentials"])
    audit_record(
        actor=actor,
        school=locked.school,
        action="students.roster.credentials_taken",
        target=locked,
        data={"accounts": len(credentials)},
    )
    return credentials
