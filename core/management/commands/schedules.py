"""python manage.py schedules [--install [--reset]] [--app LABEL]

What beat runs when: every schedule declared beside its task
(core.schedules), with its crontab, time zone and task, and whether the
database has it (enabled, disabled, changed in the admin, or not
installed), then the database's periodic tasks that no code declares.
--install adds the missing ones as the data migrations do; --reset also
puts the declared values back on changed ones, never `enabled`."""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_celery_beat.models import PeriodicTask

from core import schedules

# The words for what schedules.differences() names.
_FIELDS = {
    "task": gettext_lazy("task"),
    "crontab": gettext_lazy("times"),
    "expires_seconds": gettext_lazy("expiry"),
    "description": gettext_lazy("description"),
    "args": gettext_lazy("arguments"),
    "kwargs": gettext_lazy("keyword arguments"),
}


class Command(BaseCommand):
    help = gettext_lazy(
        "Show the beat schedules declared beside the tasks: when each runs, its task, and whether the database has it. "
        "--install adds the missing ones."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # argparse needs a str, not a lazy translation.
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument(
            "--install",
            action="store_true",
            help=gettext_lazy(
                "Add the declared schedules the database does not have yet. Existing ones are left as they are "
                "(an administrator's times, expiry or switching off)."
            ),
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help=gettext_lazy(
                "With --install: also put the declared task, times, expiry and description back on existing "
                "schedules. Whether a schedule is enabled is never changed."
            ),
        )
        parser.add_argument("--app", metavar="LABEL", help=gettext_lazy("Only the schedules of this app (e.g. moral_ed)."))

    def handle(self, *args, install=False, reset=False, app=None, **options):
        if reset and not install:
            raise CommandError(_("--reset works only with --install."))
        if app is not None and app not in {config.label for config in apps.get_app_configs()}:
            raise CommandError(_("No installed app has the label “%(app)s”.") % {"app": app})
        if install:
            try:
                done = schedules.install(only_app=app, reset=reset)
            except DatabaseError as e:
                raise CommandError(_("The database cannot be written (%(error)s): run migrate first.") % {"error": e}) from None
            self.stdout.write(
                _("Installed: %(created)s added, %(reset)s reset, %(kept)s left as they were.")
                % {"created": len(done.created), "reset": len(done.reset), "kept": len(done.kept)}
            )
            self.stdout.write("")
        self._show(schedules.declared(app), app)

    def _show(self, declared, app):
        try:
            rows = {row.name: row for row in PeriodicTask.objects.select_related("crontab").order_by("name")}
        except DatabaseError as e:
            # No database yet (before the first migrate): the declarations are still worth reading.
            rows = None
            self.stdout.write(
                self.style.WARNING(_("The database cannot be read (%(error)s): the declarations only.") % {"error": e})
            )
        self.stdout.write(_("Crontab fields: minute hour day-of-month month day-of-week."))
        installed = 0
        for schedule in declared:
            self.stdout.write("")
            self.stdout.write(self.style.MIGRATE_HEADING(schedule.name))
            self.stdout.write(
                "  " + _("when: %(crontab)s (%(timezone)s)") % {"crontab": schedule.crontab, "timezone": schedules.TIMEZONE}
            )
            self.stdout.write(
                "  "
                + _("task: %(task)s, expires after %(seconds)s s") % {"task": schedule.task, "seconds": schedule.expires_seconds}
            )
            self.stdout.write("  " + schedule.description)
            if rows is None:
                continue
            row = rows.pop(schedule.name, None)
            if row is None:
                self.stdout.write("  " + self.style.WARNING(_("database: not installed")))
                continue
            installed += 1
            state = _("enabled") if row.enabled else _("disabled")
            changed = schedules.differences(row, schedule)
            if changed:
                state = _("%(state)s; differs from the code in: %(fields)s; runs %(runs)s") % {
                    "state": state,
                    "fields": ", ".join(str(_FIELDS[field]) for field in changed),
                    "runs": _when(row),
                }
            self.stdout.write("  " + _("database: %(state)s") % {"state": state})
        self.stdout.write("")
        if rows is None:
            self.stdout.write(_("%(declared)s declared.") % {"declared": len(declared)})
            return
        self.stdout.write(
            _("%(declared)s declared, %(installed)s installed, %(missing)s not installed.")
            % {"declared": len(declared), "installed": installed, "missing": len(declared) - installed}
        )
        undeclared = [row for row in rows.values() if app is None or row.task.partition(".")[0] == app]
        if undeclared:
            self.stdout.write("")
            self.stdout.write(_("In the database but declared by no code:"))
            for row in undeclared:
                self.stdout.write(
                    "  "
                    + _("%(name)s: task %(task)s, runs %(runs)s, %(state)s")
                    % {
                        "name": row.name,
                        "task": row.task,
                        "runs": _when(row),
                        "state": _("enabled") if row.enabled else _("disabled"),
                    }
                )


def _when(row) -> str:
    """What an installed row runs on: its crontab as fields, or the other
    kind of schedule an administrator chose in the admin."""
    if row.crontab is not None:
        c = row.crontab
        return f"{c.minute} {c.hour} {c.day_of_month} {c.month_of_year} {c.day_of_week} ({c.timezone})"
    return str(row.interval or row.solar or row.clocked or "-")
