"""python manage.py backup [--output FILE] [--no-checksums]

A pg_dump custom-format archive of the configured PostgreSQL database and
its manifest (FILE.json: size, sha256, every table's rows and checksum).
See docs/operations.md and core/backups.py."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone

from core import backups


class Command(BaseCommand):
    help = "Back up the PostgreSQL database with pg_dump (custom format) and write a checksum manifest beside it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", metavar="FILE",
            help="Archive to write (default: var/backups/banwu-YYYYMMDD-HHMMSS.dump, local time).",
        )
        parser.add_argument(
            "--no-checksums", action="store_true",
            help="Skip the per-table checksums in the manifest (faster; backup_verify then cannot compare).",
        )
        parser.add_argument("--database", default="default", help="Django database alias (default: default).")

    def handle(self, *args, **options):
        try:
            database = backups.PgDatabase.from_django(connections[options["database"]].settings_dict)
            path = Path(options["output"]) if options["output"] else backups.default_backup_path(
                Path(settings.VAR_DIR) / "backups", timezone.localtime()
            )
            manifest = backups.backup(database, path, checksums=not options["no_checksums"])
        except backups.BackupError as error:
            raise CommandError(str(error))
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(f"database  {database}")
        self.stdout.write(f"file      {path}")
        self.stdout.write(f"size      {manifest['size']} bytes")
        self.stdout.write(f"sha256    {manifest['sha256']}")
        if manifest["tables"]:
            self.stdout.write(f"tables    {len(manifest['tables'])} ({rows} rows), manifest {backups.manifest_path(path)}")
        self.stdout.write(self.style.SUCCESS("backup written"))
