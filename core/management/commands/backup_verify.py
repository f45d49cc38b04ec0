"""python manage.py backup_verify FILE [--database-url URL] [--keep]

The restore drill in one command: the archive's sha256 against its
manifest, a restore into a new scratch database (banwu_verify_<random>) on
the configured PostgreSQL server (or --database-url's server), every
table's rows and checksum against the manifest, then the scratch database
is dropped. Exits non-zero on any difference."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from core import backups


class Command(BaseCommand):
    help = "Restore a backup into a scratch database and compare every table with the backup's manifest."

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="Archive written by `manage.py backup` (its FILE.json beside it).")
        parser.add_argument(
            "--database-url", metavar="URL",
            help="A database on the server to use for the scratch database (default: the configured server). "
            "The user needs CREATEDB.",
        )
        parser.add_argument("--keep", action="store_true", help="Keep the scratch database for inspection.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            if not path.is_file():
                raise backups.BackupError(f"{path}: no such file.")
            if options["database_url"]:
                server = backups.database_from_url(options["database_url"])
            else:
                server = backups.PgDatabase.from_django(connections["default"].settings_dict)
            manifest, problems, scratch = backups.verify(path, server, keep=options["keep"])
        except backups.BackupError as error:
            raise CommandError(str(error))
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{path}: {len(problems)} difference(s) from the manifest.")
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(f"sha256    {manifest['sha256']} (matches)")
        self.stdout.write(f"restored  {len(manifest['tables'])} tables, {rows} rows: identical to the manifest")
        if options["keep"]:
            self.stdout.write(f"kept      scratch database {scratch}")
        self.stdout.write(self.style.SUCCESS("backup verified"))
