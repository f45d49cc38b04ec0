"""python manage.py import_roster FILE --school CODE [--dry-run] [--credentials-out PATH] [--keep-file-days N]"""

import csv
import io
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from classes.models import School
from core.exports import safe_cell, xlsx_bytes
from students.models import KEEP_FILE_DAYS_MAX
from students.roster import report as roster_report
from students.roster import services as roster_services
from students.roster.sealing import CREDENTIALS_KEEP_DAYS


class Command(BaseCommand):
    help = gettext_lazy(
        "Import a roster of students and guardians, or of teachers, from a CSV or XLSX file into one school. "
        "All or nothing: a file with any wrong row saves nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help=_("The CSV or XLSX file."))
        parser.add_argument("--school", required=True, help=_("The school code, e.g. XS01."))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Check the file and show what would change; save nothing.")
        )
        parser.add_argument(
            "--keep-file-days",
            type=int,
            default=0,
            choices=range(0, KEEP_FILE_DAYS_MAX + 1),
            metavar="N",
            help=_("Keep the file's known columns N days (0-30) after the import; 0 (the default) deletes it at once."),
        )
        parser.add_argument(
            "--credentials-out",
            type=Path,
            help=_("Write the new accounts' one-time passwords to this .csv or .xlsx file."),
        )

    def handle(self, *args, **options):
        school = School.objects.filter(code=options["school"]).first()
        if school is None:
            raise CommandError(_("No school has the code %(code)s.") % {"code": options["school"]})
        try:
            content = options["file"].read_bytes()
        except OSError as exc:
            raise CommandError(_("Cannot read %(path)s: %(error)s") % {"path": options["file"], "error": exc}) from exc
        if options["dry_run"]:
            self._dry_run(school, content)
        else:
            self._import(school, options["file"].name, content, options["credentials_out"], options["keep_file_days"])

    def _dry_run(self, school, content):
        outcome = roster_services.roster_dry_run(school=school, content=content)
        self._ignored(outcome.ignored)
        if not outcome.ok:
            self._fail({"errors": outcome.errors})
        self._counts({"counts": outcome.written.counts})
        self.stdout.write(_("Dry run: nothing was saved."))

    def _import(self, school, name, content, credentials_out, keep_file_days):
        roster_import = roster_services.roster_import_create(
            school=school, uploaded_by=None, file_name=name, content=content, keep_file_days=keep_file_days
        )
        roster_services.roster_import_run(import_id=roster_import.pk)
        roster_import.refresh_from_db()
        self._ignored(roster_import.report.get("ignored_columns", []))
        if roster_import.status != roster_import.Status.DONE:
            self._fail(roster_import.report)
        self._counts(roster_import.report)
        if roster_import.has_credentials:
            self._credentials(roster_import, credentials_out)

    def _ignored(self, columns):
        if columns:
            self.stdout.write(
                _("Columns not imported (their cells were not read and are not kept): %(columns)s")
                % {"columns": "、".join(columns)}
            )

    def _counts(self, report):
        self.stdout.write(self.style.SUCCESS(roster_report.summary(report)))
        for label, value in roster_report.count_rows(report):
            self.stdout.write(f"  {label}: {value}")

    def _fail(self, report):
        for error in roster_report.error_rows(report):
            self.stderr.write(error["message"])
        raise CommandError(
            _("Nothing was saved: the file has %(count)s problem(s).") % {"count": len(report.get("errors", []))}
        )

    def _credentials(self, roster_import, path):
        count = roster_import.credentials_count
        if path is None:
            self.stdout.write(
                _(
                    "%(count)s new account(s) have one-time passwords. They are kept encrypted with roster import "
                    "#%(id)s until downloaded once in the admin, for %(days)s days at most; next time pass "
                    "--credentials-out PATH to write them to a file."
                )
                % {"count": count, "id": roster_import.pk, "days": CREDENTIALS_KEEP_DAYS}
            )
            return
        credentials = roster_services.roster_credentials_take(roster_import=roster_import, actor=None)
        header, rows = roster_report.credentials_table(credentials)
        path.write_bytes(_credentials_file(path, header, rows))
        self.stdout.write(
            _("%(count)s one-time password(s) written to %(path)s.") % {"count": count, "path": path}
        )


def _credentials_file(path: Path, header, rows) -> bytes:
    if path.suffix.lower() == ".xlsx":
        return xlsx_bytes(_("Initial passwords"), header, rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in header])
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    # With a BOM, Excel opens the UTF-8 file without garbling the Chinese.
    return buffer.getvalue().encode("utf-8-sig")
