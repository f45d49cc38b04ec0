"""python manage.py evaluate_month YYYY-MM [--school CODE] [--dry-run]

The monthly evaluation (the service the monthly job and the office's page
call) for one month, for every active school or one. --dry-run computes
and prints the same summary inside a transaction that is rolled back."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from classes.models import School
from moral_ed.forms.evaluations import parse_month
from moral_ed.models import EvaluationKind
from moral_ed.selectors.evaluations import result_counts
from moral_ed.services import evaluations as services


class DryRun(Exception):
    """Raised inside the transaction to roll it back after a dry run."""


class Command(BaseCommand):
    help = gettext_lazy(
        "Evaluate a month (class ranking, civilized classes and dorms, student totals, head-teacher appraisal) "
        "for every active school or one. A changed result becomes a revision for the office to publish."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # argparse needs a str, not a lazy translation.
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("month", help=gettext_lazy("The month, as YYYY-MM (e.g. 2026-11)."))
        parser.add_argument("--school", metavar="CODE", help=gettext_lazy("Only the school with this code."))
        parser.add_argument(
            "--dry-run", action="store_true", help=gettext_lazy("Compute and print the summary, write nothing.")
        )

    def handle(self, *args, month, school=None, dry_run=False, **options):
        try:
            period_start = parse_month(month)
        except ValueError:
            raise CommandError(_("“%(month)s” is not a month: write it as YYYY-MM, e.g. 2026-11.") % {"month": month}) from None
        if school:
            schools = list(School.objects.filter(code=school))
            if not schools:
                raise CommandError(_("No school has the code “%(code)s”.") % {"code": school})
        else:
            schools = list(School.objects.filter(is_active=True).order_by("code"))
        for s in schools:
            try:
                self._one(s, period_start, dry_run)
            except ValidationError as e:
                if school:
                    raise CommandError(f"{s.code}: {' '.join(e.messages)}") from None
                self.stdout.write(_("%(code)s: skipped (%(reason)s)") % {"code": s.code, "reason": " ".join(e.messages)})
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))

    def _one(self, school, period_start, dry_run):
        summary = {}
        try:
            with transaction.atomic():
                revision = services.evaluation_run(school=school, kind=EvaluationKind.MONTHLY, period_start=period_start)
                summary = {**result_counts(revision), "number": revision.number, "digest": revision.digest, "outcome": revision.outcome}
                if dry_run:
                    raise DryRun
        except DryRun:
            pass
        outcome = {
            "unchanged": _("unchanged, revision %(n)s"),
            "replaced": _("preview revision %(n)s computed again"),
            "created": _("new revision %(n)s (preview)"),
        }[summary["outcome"]] % {"n": summary["number"]}
        if dry_run:
            outcome = {
                "unchanged": _("would stay revision %(n)s"),
                "replaced": _("would compute preview revision %(n)s again"),
                "created": _("would make revision %(n)s"),
            }[summary["outcome"]] % {"n": summary["number"]}
        self.stdout.write(
            _("%(code)s %(month)s: %(classes)s classes, %(civilized)s civilized, %(vetoed)s vetoed, digest %(digest)s: %(outcome)s")
            % {
                "code": school.code,
                "month": f"{period_start:%Y-%m}",
                "classes": summary["classes"],
                "civilized": summary["civilized"],
                "vetoed": summary["vetoed"],
                "digest": summary["digest"][:12],
                "outcome": outcome,
            }
        )
