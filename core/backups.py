"""PostgreSQL backups: pg_dump/pg_restore around a Django database
definition, and per-table checksums that prove a restore is complete.

Used by the `backup`, `restore` and `backup_verify` management commands
and by tests/security/test_backup_restore.py; nothing here reads Django's
settings, so a script can use it with any database definition in Django's
form (`database_from_url("postgres://…")` or `settings.DATABASES["default"]`).

A backup is two files: the pg_dump custom-format archive (FILE) and its
manifest (FILE + ".json": size, sha256, and every table's row count and
checksum). The dump and the checksums read the same exported snapshot, so
the manifest describes exactly what the archive holds even while the
school keeps writing.

Passwords travel in PGPASSWORD, never on a command line (`ps` shows those).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

MANIFEST_SUFFIX = ".json"
MAINTENANCE_DB = "postgres"
# libpq settings that may sit in Django's OPTIONS and have an environment variable.
_OPTION_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}
# Fixed text forms, so the same row gives the same checksum on any server or session.
_SESSION_SETTINGS = (
    "SET TIME ZONE 'UTC'",
    "SET DateStyle = 'ISO, YMD'",
    "SET IntervalStyle = 'postgres'",
    "SET extra_float_digits = 1",
    "SET bytea_output = 'hex'",
)


class BackupError(Exception):
    """A backup, restore or check that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class PgDatabase:
    """Where a PostgreSQL database is, in the terms pg_dump and psycopg2 use."""

    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""
    options: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_django(cls, settings_dict: dict) -> PgDatabase:
        engine = settings_dict.get("ENGINE", "")
        if "sqlite" in engine:
            raise BackupError(
                "The database is SQLite (development). These commands work on PostgreSQL only. "
                "Copy an SQLite database while nothing writes to it with: "
                'sqlite3 var/banwu.sqlite3 ".backup var/backups/banwu.sqlite3"'
            )
        if "postgresql" not in engine and "postgis" not in engine:
            raise BackupError(f"Unsupported database engine {engine!r}: backups need PostgreSQL.")
        options = tuple(sorted((str(k), str(v)) for k, v in (settings_dict.get("OPTIONS") or {}).items() if k in _OPTION_ENV))
        return cls(
            name=str(settings_dict.get("NAME") or ""),
            host=str(settings_dict.get("HOST") or ""),
            port=str(settings_dict.get("PORT") or ""),
            user=str(settings_dict.get("USER") or ""),
            password=str(settings_dict.get("PASSWORD") or ""),
            options=options,
        )

    def other(self, name: str) -> PgDatabase:
        """Another database on the same server, with the same credentials."""
        return PgDatabase(name=name, host=self.host, port=self.port, user=self.user, password=self.password, options=self.options)

    def client_args(self) -> list[str]:
        """pg_dump / pg_restore / psql connection arguments (no password, no database)."""
        args = []
        if self.host:
            args += ["--host", self.host]
        if self.port:
            args += ["--port", self.port]
        if self.user:
            args += ["--username", self.user]
        return args

    def client_env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        for key, value in self.options:
            env[_OPTION_ENV[key]] = value
        return env

    def connect(self):
        import psycopg2

        kwargs = {"dbname": self.name, **dict(self.options)}
        for key in ("host", "port", "user", "password"):
            if getattr(self, key):
                kwargs[key] = getattr(self, key)
        try:
            return psycopg2.connect(**kwargs)
        except psycopg2.OperationalError as error:
            raise BackupError(f"Cannot connect to database {self.name!r}: {str(error).strip()}") from error

    def __str__(self) -> str:
        where = self.host or "local socket"
        return f"{self.name} on {where}{':' + self.port if self.port else ''}"


def database_from_url(url: str) -> PgDatabase:
    """A DATABASE_URL in django-environ's syntax (postgres://user:password@host:port/name)."""
    import environ

    return PgDatabase.from_django(environ.Env.db_url_config(url))


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"{name} is not installed: install the PostgreSQL client tools (apt-get install postgresql-client).")
    return path


def _run(args: list[str], database: PgDatabase) -> None:
    result = subprocess.run(args, env=database.client_env(), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tool = Path(args[0]).name
        raise BackupError(f"{tool} failed (exit {result.returncode}): {result.stderr.strip() or result.stdout.strip()}")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_path(path: Path) -> Path:
    return Path(str(path) + MANIFEST_SUFFIX)


# --- Checksums ------------------------------------------------------------------

_TABLES_SQL = """
    SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = %s AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\\_toast%%' AND n.nspname NOT LIKE 'pg\\_temp%%'
    ORDER BY 1, 2
"""


def _relations(cursor, kind: str) -> list[tuple[str, str]]:
    cursor.execute(_TABLES_SQL, [kind])
    return list(cursor.fetchall())


def _label(schema: str, name: str) -> str:
    return name if schema == "public" else f"{schema}.{name}"


def sequence_values(cursor) -> dict[str, int]:
    """Each sequence's last handed-out value (sequences are not transactional:
    this is the value now, whatever the transaction's snapshot)."""
    from psycopg2 import sql

    values = {}
    for schema, name in _relations(cursor, "S"):
        cursor.execute(sql.SQL("SELECT last_value, is_called FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(name)))
        last_value, is_called = cursor.fetchone()
        values[_label(schema, name)] = int(last_value) if is_called else int(last_value) - 1
    return values


def table_checksums(cursor) -> dict[str, dict]:
    """{table: {"rows": count, "md5": checksum}} for every ordinary table.

    The checksum is the md5 of the rows' md5s in sorted order, each row in
    its text form (`row::text`): independent of physical order and of the
    primary key, and it needs 32 bytes a row, not the whole table, in memory.
    """
    from psycopg2 import sql

    for statement in _SESSION_SETTINGS:
        cursor.execute(statement)
    result = {}
    for schema, name in _relations(cursor, "r"):
        cursor.execute(
            sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(h, '' ORDER BY h), '')) FROM (SELECT md5(t::text) AS h FROM {}.{} AS t) AS s"
            ).format(sql.Identifier(schema), sql.Identifier(name))
        )
        rows, digest = cursor.fetchone()
        result[_label(schema, name)] = {"rows": int(rows), "md5": digest}
    return result


def database_checksums(database: PgDatabase) -> dict:
    """{"tables": table_checksums, "sequences": sequence_values} of a database, in one snapshot."""
    import psycopg2.extensions

    conn = database.connect()
    try:
        conn.set_session(isolation_level=psycopg2.extensions.ISOLATION_LEVEL_REPEATABLE_READ, readonly=True)
        with conn.cursor() as cursor:
            tables = table_checksums(cursor)
            sequences = sequence_values(cursor)
        conn.rollback()
        return {"tables": tables, "sequences": sequences}
    finally:
        conn.close()


def compare_checksums(expected: dict, actual: dict) -> list[str]:
    """The differences between two checksum sets (empty: identical).

    Tables must match exactly: the same tables, rows and checksums.
    Sequences must exist and stand at least where expected (a backup reads
    them before pg_dump does, and they only move forward), so that rows
    inserted after a restore never reuse an id.
    """
    problems = []
    want, got = expected.get("tables", {}), actual.get("tables", {})
    for table in sorted(set(want) - set(got)):
        problems.append(f"table {table}: missing")
    for table in sorted(set(got) - set(want)):
        problems.append(f"table {table}: not in the backup")
    for table in sorted(set(want) & set(got)):
        if want[table]["rows"] != got[table]["rows"]:
            problems.append(f"table {table}: {got[table]['rows']} rows, expected {want[table]['rows']}")
        elif want[table]["md5"] != got[table]["md5"]:
            problems.append(f"table {table}: same row count, different content")
    want_seq, got_seq = expected.get("sequences", {}), actual.get("sequences", {})
    for sequence in sorted(want_seq):
        if sequence not in got_seq:
            problems.append(f"sequence {sequence}: missing")
        elif got_seq[sequence] < want_seq[sequence]:
            problems.append(f"sequence {sequence}: at {got_seq[sequence]}, expected at least {want_seq[sequence]}")
    return problems


# --- Backup, restore, verify -----------------------------------------------------------------


def default_backup_path(directory: Path, now: datetime.datetime) -> Path:
    """directory/banwu-YYYYMMDD-HHMMSS.dump (pass local time)."""
    return Path(directory) / f"banwu-{now:%Y%m%d-%H%M%S}.dump"


def backup(database: PgDatabase, path: Path, *, checksums: bool = True) -> dict:
    """pg_dump -Fc of `database` into `path` (private to the owner: it holds
    children's records), and the manifest beside it. Returns the manifest."""
    import psycopg2.extensions

    pg_dump = _tool("pg_dump")
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} exists already: choose another file name.")
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # pg_dump keeps the mode

    try:
        conn = database.connect()
        try:
            conn.set_session(isolation_level=psycopg2.extensions.ISOLATION_LEVEL_REPEATABLE_READ, readonly=True)
            with conn.cursor() as cursor:
                cursor.execute("SELECT current_setting('server_version'), pg_export_snapshot()")
                server_version, snapshot = cursor.fetchone()
                sequences = sequence_values(cursor) if checksums else {}
                _run([pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot}", f"--file={partial}",
                      *database.client_args(), f"--dbname={database.name}"], database)
                tables = table_checksums(cursor) if checksums else {}
            conn.rollback()
        finally:
            conn.close()
    except BaseException:
        partial.unlink(missing_ok=True)  # no half-written archive left behind
        raise

    partial.rename(path)
    manifest = {
        "format": "banwu-backup-1",
        "file": path.name,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": database.name,
        "server_version": server_version,
        "size": path.stat().st_size,
        "sha256": file_sha256(path),
        "tables": tables,
        "sequences": sequences,
    }
    target = manifest_path(path)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=1, sort_keys=True)
    return manifest


def read_manifest(path: Path) -> dict | None:
    target = manifest_path(Path(path))
    if not target.exists():
        return None
    return json.loads(target.read_text(encoding="utf-8"))


def table_count(database: PgDatabase) -> int:
    conn = database.connect()
    try:
        with conn.cursor() as cursor:
            return len(_relations(cursor, "r"))
    finally:
        conn.close()


def restore(database: PgDatabase, path: Path) -> None:
    """pg_restore an archive into `database`, in one transaction: its tables
    are dropped and recreated (--clean --if-exists), ownership and grants
    go to the restoring user (--no-owner --no-privileges). Tables the
    archive does not hold are left alone."""
    pg_restore = _tool("pg_restore")
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file.")
    _run([pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
          "--exit-on-error", "--no-password", *database.client_args(), f"--dbname={database.name}", str(path)], database)


def _maintenance(server: PgDatabase):
    conn = server.other(MAINTENANCE_DB).connect()
    conn.autocommit = True
    return conn


def create_database(server: PgDatabase, name: str) -> PgDatabase:
    """A new empty database on `server`'s PostgreSQL (from template0, UTF8)."""
    from psycopg2 import sql

    conn = _maintenance(server)
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(sql.Identifier(name)))
    finally:
        conn.close()
    return server.other(name)


def drop_database(server: PgDatabase, name: str) -> None:
    from psycopg2 import sql

    conn = _maintenance(server)
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    finally:
        conn.close()


def scratch_name(prefix: str = "banwu_restore") -> str:
    return f"{prefix}_{secrets.token_hex(4)}"


def verify(path: Path, server: PgDatabase, *, keep: bool = False) -> tuple[dict, list[str], str]:
    """The restore drill: check the archive against its manifest, restore it
    into a new scratch database on `server`, compare every table with the
    manifest, and drop the scratch database (unless keep).
    Returns (manifest, problems, scratch database name)."""
    path = Path(path)
    manifest = read_manifest(path)
    if manifest is None:
        raise BackupError(f"{manifest_path(path)} is missing: verify needs the manifest the backup command wrote.")
    problems = []
    size, digest = path.stat().st_size, file_sha256(path)
    if size != manifest["size"] or digest != manifest["sha256"]:
        problems.append(f"archive: sha256 {digest} ({size} bytes), manifest says {manifest['sha256']} ({manifest['size']} bytes)")
        return manifest, problems, ""
    if not manifest.get("tables"):
        raise BackupError("The manifest has no checksums (backup --no-checksums): nothing to compare.")
    name = scratch_name("banwu_verify")
    scratch = create_database(server, name)
    try:
        restore(scratch, path)
        problems += compare_checksums(manifest, database_checksums(scratch))
    finally:
        if not keep:
            drop_database(server, name)
    return manifest, problems, name
