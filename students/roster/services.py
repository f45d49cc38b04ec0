"""The roster import as a job, the dry run, and the one-time credentials.

Who may import was checked by the caller (the admin view: superusers and
the school's administrators; the command: whoever runs manage.py)."""

import datetime
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from accounts.services import audit_record
from classes.models import School
from classes.selectors import current_term
from students.models import RosterImport

from .kept import kept_copy
from .problems import FileProblem, Problem
from .reading import Table, read_table
from .sealing import CREDENTIALS_KEEP_DAYS, seal, unseal
from .validation import SchoolContext, validate
from .writing import AccountsChanged, Written, students_write, teachers_write

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
    ignored: list[str] = field(default_factory=list)  # headers of the columns not imported
    table: Table | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def errors(self) -> list[dict]:
        return [p.as_dict() for p in self.problems]


def roster_import_create(
    *, school, uploaded_by, file_name: str, content: bytes, keep_file_days: int = 0
) -> RosterImport:
    """Store an uploaded file as a queued import (nothing is read yet).
    `keep_file_days` (0–30): how long the file stays after the import
    ends; 0 deletes it at once."""
    roster_import = RosterImport(
        school=school,
        uploaded_by=uploaded_by,
        file_name=file_name[-255:] or "roster",
        content=content,
        keep_file_days=keep_file_days,
    )
    roster_import.full_clean(exclude=["content"])
    roster_import.save()
    return roster_import


@transaction.atomic
def roster_import_submit(
    *, school, uploaded_by, file_name: str, content: bytes, keep_file_days: int = 0
) -> RosterImport:
    """Store the file and run the import on a worker once this transaction commits."""
    from students.tasks import roster_import_run as task

    roster_import = roster_import_create(
        school=school, uploaded_by=uploaded_by, file_name=file_name, content=content, keep_file_days=keep_file_days
    )
    task.delay_on_commit(roster_import.pk)
    return roster_import


def roster_import_run(*, import_id: int) -> RosterImport | None:
    """Run a queued import: check every row (progress committed in batches,
    so the progress page sees it), then write everything in one
    transaction, or nothing when any row is wrong. However it ends (done,
    rejected, failed), the uploaded file is deleted, or replaced by a copy
    of the columns the import knows when the import keeps it for some days;
    new accounts' one-time passwords are stored only sealed
    (roster.sealing).

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
    read = {}  # the table, once the file is read (for the kept copy)
    try:
        _run(roster_import, read)
    except Exception:
        logger.exception("Roster import %s failed", import_id)
        _fail(roster_import, read.get("table"))
        raise
    return roster_import


def _run(roster_import: RosterImport, read: dict) -> None:
    def progress(rows_done: int) -> None:
        RosterImport.objects.filter(pk=roster_import.pk).update(processed_rows=rows_done)

    def started(table: Table) -> None:
        read["table"] = table
        roster_import.kind, roster_import.total_rows = table.kind, len(table.rows)
        RosterImport.objects.filter(pk=roster_import.pk).update(kind=table.kind, total_rows=len(table.rows))

    outcome, ctx = _check(roster_import.school, bytes(roster_import.content), started=started, progress=progress)
    if not outcome.ok:
        _reject(roster_import, outcome)
        return
    RosterImport.objects.filter(pk=roster_import.pk).update(status=Status.WRITING)
    with transaction.atomic():
        # One import of a school writes at a time, and it writes what was
        # checked against the rows as they are now: the check above ran
        # without a lock (its progress is committed as it goes), and in
        # the meantime another import, or another school's, may have
        # taken a class's head teacher or made an account with one of
        # these mobile numbers. Checking again costs about a second for
        # 5,000 rows (docs/performance.md).
        School.objects.select_for_update().only("pk").get(pk=roster_import.school_id)
        outcome, ctx = _check(roster_import.school, table=outcome.table)
        if not outcome.ok:
            _reject(roster_import, outcome)
            return
        try:
            with transaction.atomic():
                outcome.written = _write(outcome, ctx, actor=roster_import.uploaded_by)
        except AccountsChanged:
            # Another school wrote one of these accounts meanwhile; the next
            # upload's check lists the rows. (Two schools making the same
            # account at the same moment meet at its unique login name: an
            # IntegrityError, the import fails and nothing is saved.)
            logger.warning("Roster import %s met accounts another school changed meanwhile", roster_import.pk)
            outcome.problems = [Problem(code="accounts_changed")]
            _reject(roster_import, outcome)
            return
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


def _check(
    school, content: bytes = b"", *, table: Table | None = None, started=None, progress=None
) -> tuple[Outcome, SchoolContext | None]:
    """Read `content` (or take the `table` read before) and check every row
    against the school as it is now."""
    term = current_term(school)
    try:
        if term is None:
            raise FileProblem("no_current_term")
        table = table or read_table(content)
    except FileProblem as exc:
        return Outcome(problems=[exc.problem]), None
    if started:
        started(table)
    ctx = SchoolContext.load(school, term)
    checked = validate(table, ctx, progress=progress)
    outcome = Outcome(
        kind=table.kind,
        total_rows=len(table.rows),
        problems=checked.problems,
        records=checked.records,
        ignored=list(table.ignored),
        table=table,
    )
    return outcome, ctx


def _write(outcome: Outcome, ctx: SchoolContext, *, actor) -> Written:
    if outcome.kind == RosterImport.Kind.STUDENTS:
        return students_write(outcome.records, ctx, actor=actor, on_date=_enrollment_date(ctx.term))
    return teachers_write(outcome.records, ctx, actor=actor)


def _enrollment_date(term) -> datetime.date:
    """Today, kept inside the school year (an import in August enrols from the first day)."""
    year = term.school_year
    return min(max(timezone.localdate(), year.start_date), year.end_date)


def _file_end(roster_import: RosterImport, table: Table | None, now: datetime.datetime) -> dict:
    """The fields that end the uploaded file's life: deleted now, or, when
    the import keeps it, replaced by the known columns alone until the
    nightly purge. A file that could not be read is never kept."""
    if roster_import.keep_file_days and table is not None:
        return {
            "content": kept_copy(table),
            "file_purge_at": now + datetime.timedelta(days=roster_import.keep_file_days),
            "file_deleted_at": None,
        }
    return {"content": b"", "file_purge_at": None, "file_deleted_at": now}


def _finish(roster_import: RosterImport, outcome: Outcome) -> None:
    counts = outcome.written.counts
    credentials = outcome.written.credentials
    now = timezone.now()
    roster_import.status = Status.DONE
    roster_import.processed_rows = roster_import.total_rows
    roster_import.report = {"errors": [], "counts": counts, "ignored_columns": outcome.ignored}
    roster_import.sealed_credentials = seal(credentials) if credentials else b""
    roster_import.credentials_count = len(credentials)
    roster_import.credentials_expire_at = now + datetime.timedelta(days=CREDENTIALS_KEEP_DAYS) if credentials else None
    roster_import.finished_at = now
    for name, value in _file_end(roster_import, outcome.table, now).items():
        setattr(roster_import, name, value)
    roster_import.save(
        update_fields=[
            "status", "processed_rows", "report", "sealed_credentials", "credentials_count", "credentials_expire_at",
            "finished_at", "content", "file_purge_at", "file_deleted_at",
        ]
    )
    audit_record(
        actor=roster_import.uploaded_by,
        school=roster_import.school,
        action="students.roster.imported",
        target=roster_import,
        data={"kind": outcome.kind, "rows": outcome.total_rows, **counts},
    )


def _reject(roster_import: RosterImport, outcome: Outcome) -> None:
    now = timezone.now()
    roster_import.status = Status.REJECTED
    roster_import.processed_rows = roster_import.total_rows
    roster_import.report = {"errors": outcome.errors, "counts": {}, "ignored_columns": outcome.ignored}
    roster_import.finished_at = now
    for name, value in _file_end(roster_import, outcome.table, now).items():
        setattr(roster_import, name, value)
    roster_import.save(
        update_fields=["status", "processed_rows", "report", "finished_at", "content", "file_purge_at", "file_deleted_at"]
    )
    audit_record(
        actor=roster_import.uploaded_by,
        school=roster_import.school,
        action="students.roster.rejected",
        target=roster_import,
        data={"kind": outcome.kind, "rows": outcome.total_rows, "errors": len(outcome.problems)},
    )


def _fail(roster_import: RosterImport, table: Table | None) -> None:
    now = timezone.now()
    report = {"errors": [Problem(code="internal_error").as_dict()], "counts": {}}
    RosterImport.objects.filter(pk=roster_import.pk).update(
        status=Status.FAILED, report=report, finished_at=now, **_file_end(roster_import, table, now)
    )
    audit_record(
        actor=roster_import.uploaded_by,
        school=roster_import.school,
        action="students.roster.failed",
        target=roster_import,
    )


def roster_credentials_take(*, roster_import: RosterImport, actor) -> list[dict] | None:
    """The one-time passwords of the accounts an import created, handed out
    once: the sealed copy is deleted and an audit row says who took them.
    None when they were taken (or purged) before. Raises
    sealing.Unreadable, after deleting the copy, when they were sealed
    under a secret key the server no longer has. The caller checked that
    `actor` may see this import."""
    sealed = _credentials_claim(roster_import, actor)
    # Opened once the deletion is committed: a copy no key opens is gone too.
    return None if sealed is None else unseal(sealed)


@transaction.atomic
def _credentials_claim(roster_import: RosterImport, actor) -> bytes | None:
    locked = (
        RosterImport.objects.select_for_update()
        .only("pk", "school", "file_name", "sealed_credentials", "credentials_count")
        .select_related("school")
        .get(pk=roster_import.pk)
    )
    if not locked.credentials_count:
        return None
    sealed = bytes(locked.sealed_credentials)
    RosterImport.objects.filter(pk=locked.pk).update(
        sealed_credentials=b"", credentials_count=0, credentials_expire_at=None
    )
    audit_record(
        actor=actor,
        school=locked.school,
        action="students.roster.credentials_taken",
        target=locked,
        data={"accounts": locked.credentials_count},
    )
    return sealed


def roster_kept_file(*, roster_import: RosterImport, actor) -> bytes | None:
    """The kept copy of an import's file (the known columns, as XLSX), or
    None when the import keeps none (deleted, or still running). One audit
    row per download. The caller checked that `actor` may see this import."""
    row = (
        RosterImport.objects.filter(pk=roster_import.pk, file_purge_at__isnull=False, file_deleted_at__isnull=True)
        .exclude(status__in=UNFINISHED)
        .only("pk", "file_name", "school", "content")
        .select_related("school")
        .first()
    )
    if row is None:
        return None
    audit_record(actor=actor, school=row.school, action="students.roster.file_downloaded", target=row)
    return bytes(row.content)


# An import not finished a day after its upload was left by a worker that
# died (the task's hard limit is 16 minutes) or never sent.
ABANDONED_AFTER = datetime.timedelta(days=1)
UNFINISHED = (Status.QUEUED, Status.VALIDATING, Status.WRITING)


def roster_imports_purge(*, now: datetime.datetime | None = None) -> dict:
    """The nightly purge: delete the files kept past their import's
    keep_file_days, the one-time passwords nobody downloaded within
    CREDENTIALS_KEEP_DAYS, and end the imports a dead worker left
    unfinished (failed, file deleted, one audit row each).

    Idempotent and safe on two workers at once: every write is an UPDATE
    conditioned on the row still being due, so each row is purged by one
    run and the other finds nothing. Returns what this run purged."""
    now = now or timezone.now()
    files = RosterImport.objects.filter(file_purge_at__lte=now, file_deleted_at__isnull=True).update(
        content=b"", file_purge_at=None, file_deleted_at=now
    )
    passwords = RosterImport.objects.filter(credentials_expire_at__lte=now).update(
        sealed_credentials=b"", credentials_count=0, credentials_expire_at=None
    )
    abandoned = 0
    due = RosterImport.objects.filter(status__in=UNFINISHED, created_at__lt=now - ABANDONED_AFTER)
    for roster_import in due.select_related("school", "uploaded_by").only("pk", "file_name", "school", "uploaded_by"):
        with transaction.atomic():
            claimed = RosterImport.objects.filter(pk=roster_import.pk, status__in=UNFINISHED).update(
                status=Status.FAILED,
                report={"errors": [Problem(code="abandoned").as_dict()], "counts": {}},
                finished_at=now,
                content=b"",
                file_purge_at=None,
                file_deleted_at=now,
            )
            if claimed:
                abandoned += 1
                audit_record(
                    actor=None,
                    school=roster_import.school,
                    action="students.roster.failed",
                    target=roster_import,
                    data={"reason": "abandoned"},
                )
    return {"files": files, "passwords": passwords, "abandoned": abandoned}
