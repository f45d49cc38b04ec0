"""python manage.py restore FILE [--database-url URL] [--force]

pg_restore an archive made by `backup` into the configured database or the
one --database-url names. A database that already has tables is replaced
only with --force. Stop the web and Celery processes first."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from core import backups


class Command(BaseCommand):
    help = "Restore a backup archive (pg_restore --clean --if-exists --no-owner) into a PostgreSQL database."

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="Archive written by `manage.py backup`.")
        parser.add_argument(
            "--database-url", metavar="URL",
            help="Target database, postgres://user:password@host:port/name (default: the configured database).",
        )
        parser.add_argument("--force", action="store_true", help="Replace the tables of a database that is not empty.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            if options["database_url"]:
                target = backups.database_from_url(options["database_url"])
            else:
                connections["default"].close()  # this process holds no session on the target
                target = backups.PgDatabase.from_django(connections["default"].settings_dict)
            if not path.is_file():
                raise backups.BackupError(f"{path}: no such file.")
            manifest = backups.read_manifest(path)
            if manifest and (path.stat().st_size != manifest["size"] or backups.file_sha256(path) != manifest["sha256"]):
                raise backups.BackupError(f"{path} does not match its manifest (size or sha256): the archive is damaged.")
            existing = backups.table_count(target)
            if existing and not options["force"]:
                raise backups.BackupError(
                    f"Database {target} has {existing} tables. Restoring replaces them: "
                    "run again with --force if that is what you want (stop the web and Celery processes first)."
                )
            backups.restore(target, path)
        except backups.BackupError as error:
            raise CommandError(str(error))
        self.stdout.write(self.style.SUCCESS(f"restored {path} into {target}"))
        if manifest and manifest.get("tables"):
            self.stdout.write("check it: python manage.py backup_verify " + str(path))
