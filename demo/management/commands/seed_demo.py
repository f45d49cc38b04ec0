import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from classes.models import School
from demo.school import DEMO_PASSWORD, demo_school_build


class Command(BaseCommand):
    help = gettext_lazy(
        "Create the demo school (code DEMO): a school year of classes, students, guardians and staff, and demo "
        "logins that share the password banwu-demo. Running it again adds only what is missing."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # argparse needs a str, not a lazy translation.
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        when = parser.add_mutually_exclusive_group()
        when.add_argument(
            "--if-empty",
            action="store_true",
            help=gettext_lazy(
                "Do nothing when the database already holds a school (make run uses this, so a database with "
                "real schools never gets the demo school)."
            ),
        )
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help=gettext_lazy(
                "Run although DEBUG is off (a demo server). Never on a school's server: the demo logins, "
                "including a superuser, share a published password."
            ),
        )

    def handle(self, *args, if_empty=False, allow_without_debug=False, verbosity=1, **options):
        if if_empty and School.objects.exists():
            if verbosity >= 1:
                self.stdout.write("The database already holds a school: the demo school is not loaded (--if-empty).")
            return
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError(
                _(
                    "DEBUG is off. seed_demo creates a superuser 'admin' with the published password %(password)s; "
                    "on a demo server, run it again with --allow-without-debug."
                )
                % {"password": DEMO_PASSWORD}
            )
        started = time.monotonic()
        result = demo_school_build()
        seconds = time.monotonic() - started
        if verbosity < 1:
            return

        out = self.stdout.write
        created = ", ".join(f"{label} {n}" for label, n in result.created.items() if n) or "nothing (already complete)"
        out(self.style.SUCCESS(f"Demo school {result.school.name} ({result.school.code}), {result.current_term} is current."))
        out(f"Created: {created}")
        out("In the school: " + ", ".join(f"{label} {n}" for label, n in result.totals.items()))
        out(f"Time: {seconds:.1f} s")
        out("")
        rows = [("username", "role", "password", "mobile", "")]
        rows += [(login.username, login.role, login.password, login.mobile, login.note) for login in result.logins]
        widths = [max(_width(row[i]) for row in rows) for i in range(4)]
        for row in rows:
            cells = [row[i] + " " * (widths[i] - _width(row[i])) for i in range(4)]
            out("  ".join([*cells, row[4]]).rstrip())
        out("")
        out("Every other demo account (demo_* staff, guardians by mobile number) has the same password.")


def _width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
