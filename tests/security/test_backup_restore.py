"""backup → restore into a fresh database → every table identical.

The round trip needs PostgreSQL and its client tools (pg_dump,
pg_restore); it is skipped on SQLite, and fails there in CI
(BANWU_REQUIRE_SERVICES=1)."""

import io
import os
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from core import backups
from moral_ed.models import ConductEvent, ConductItem
from moral_ed.services.conduct import points_record, points_void
from moral_ed.services.defaults import defaults_install


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql" or not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        if os.environ.get("BANWU_REQUIRE_SERVICES") == "1":
            pytest.fail("the backup round trip needs PostgreSQL and pg_dump/pg_restore in CI")
        pytest.skip("needs PostgreSQL and its client tools")
    return backups.PgDatabase.from_django(connection.settings_dict)


def _url(database: backups.PgDatabase) -> str:
    auth = quote(database.user or "postgres", safe="")
    if database.password:
        auth += ":" + quote(database.password, safe="")
    return f"postgres://{auth}@{database.host or '127.0.0.1'}:{database.port or 5432}/{database.name}"


@pytest.fixture
def fresh_database(postgres):
    """A new empty database on the same server, dropped afterwards."""
    name = backups.scratch_name()
    database = backups.create_database(postgres, name)
    yield database
    backups.drop_database(postgres, name)


def _ledger(world):
    """Conduct entries, a voided one, group and bank rows: the ledger tables."""
    defaults_install(school=world.school)
    defaults_install(school=world.b.school)
    plus = ConductItem.objects.filter(school=world.school, points__gt=0).order_by("pk")
    minus = ConductItem.objects.filter(school=world.school, points__lt=0).order_by("pk").first()
    for item in plus[:3]:
        points_record(actor=world.head_teacher, school=world.school, term=world.term, school_class=world.class1,
                      student_ids=[world.child.pk, world.classmate.pk], item=item, note="课堂表现")
    points_record(actor=world.other_head_teacher, school=world.school, term=world.term, school_class=world.class2,
                  student_ids=[world.other_child.pk], item=minus)
    points_void(actor=world.head_teacher, event=ConductEvent.objects.filter(student=world.classmate).first(), reason="录错了")
    return ConductEvent.objects.count()


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_gives_identical_tables(world, postgres, fresh_database, tmp_path):
    events = _ledger(world)
    assert events >= 7

    out = io.StringIO()
    with override_settings(VAR_DIR=tmp_path), time_machine.travel("2026-11-20 14:05:03 +0000", tick=False):
        call_command("backup", stdout=out)
    path = tmp_path / "backups" / "banwu-20261120-220503.dump"  # local time, Asia/Shanghai
    assert path.is_file() and (path.stat().st_mode & 0o077) == 0  # children's records: owner only
    text = out.getvalue()
    assert f"{path.stat().st_size} bytes" in text and backups.file_sha256(path) in text
    assert path.read_bytes().startswith(b"PGDMP")  # custom format
    manifest = backups.read_manifest(path)

    source = backups.database_checksums(postgres)
    assert manifest["tables"] == source["tables"]
    assert source["tables"]["moral_ed_conductevent"]["rows"] == events
    assert source["tables"]["accounts_user"]["rows"] > 10

    restore_out = io.StringIO()
    call_command("restore", str(path), database_url=_url(fresh_database), stdout=restore_out)
    assert "restored" in restore_out.getvalue()

    restored = backups.database_checksums(fresh_database)
    assert sorted(restored["tables"]) == sorted(source["tables"])  # every table of the source
    for table, expected in source["tables"].items():
        assert restored["tables"][table] == expected, table
    assert restored["sequences"] == source["sequences"]
    assert backups.compare_checksums(manifest, restored) == []

    # A target with tables is replaced only with --force.
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(path), database_url=_url(fresh_database), stdout=io.StringIO())
    call_command("restore", str(path), database_url=_url(fresh_database), force=True, stdout=io.StringIO())
    assert backups.database_checksums(fresh_database)["tables"] == source["tables"]

    # The checksum sees a single changed cell.
    conn = fresh_database.connect()
    with conn, conn.cursor() as cursor:
        cursor.execute("UPDATE moral_ed_conductevent SET note = note || '!' WHERE id = (SELECT min(id) FROM moral_ed_conductevent)")
    conn.close()
    assert backups.compare_checksums(source, backups.database_checksums(fresh_database)) == [
        "table moral_ed_conductevent: same row count, different content"
    ]


@pytest.mark.django_db(transaction=True)
def test_backup_verify_restores_into_a_scratch_database_and_compares(world, postgres, tmp_path):
    _ledger(world)
    path = tmp_path / "nightly.dump"
    call_command("backup", output=str(path), stdout=io.StringIO())

    out = io.StringIO()
    call_command("backup_verify", str(path), stdout=out)
    assert "identical to the manifest" in out.getvalue() and "backup verified" in out.getvalue()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname LIKE 'banwu\\_verify\\_%'")
        assert cursor.fetchone()[0] == 0  # the scratch database is gone

    damaged = tmp_path / "damaged.dump"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    Path(str(damaged) + ".json").write_text(Path(str(path) + ".json").read_text())
    with pytest.raises(CommandError, match="difference"):
        call_command("backup_verify", str(damaged), stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(damaged), database_url=_url(postgres.other("unused")), stdout=io.StringIO())


def test_an_existing_file_is_never_overwritten(postgres, tmp_path):
    path = tmp_path / "taken.dump"
    path.write_bytes(b"keep me")
    with pytest.raises(CommandError, match="exists"):
        call_command("backup", output=str(path), stdout=io.StringIO())
    assert path.read_bytes() == b"keep me"


# --- Without a database -----------------------------------------------------------------------


def test_sqlite_is_refused_with_what_to_do_instead():
    with pytest.raises(backups.BackupError, match=r"sqlite3 .*\.backup"):
        backups.PgDatabase.from_django({"ENGINE": "django.db.backends.sqlite3", "NAME": "var/banwu.sqlite3"})


def test_the_password_goes_in_the_environment_never_on_the_command_line(monkeypatch, tmp_path):
    database = backups.database_from_url("postgres://banwu:s3cr%40t-pw@db.internal:6543/banwu?sslmode=require")
    assert (database.name, database.host, database.port, database.user, database.password) == (
        "banwu", "db.internal", "6543", "banwu", "s3cr@t-pw",
    )
    calls = []

    class Done:
        returncode, stdout, stderr = 0, "", ""

    monkeypatch.setattr(backups.subprocess, "run", lambda args, **kw: calls.append((args, kw["env"])) or Done())
    archive = tmp_path / "a.dump"
    archive.write_bytes(b"PGDMP")
    backups.restore(database, archive)
    args, env = calls[0]
    assert not any("s3cr" in a for a in args)
    assert env["PGPASSWORD"] == "s3cr@t-pw" and env["PGSSLMODE"] == "require"
    assert {"--clean", "--if-exists", "--no-owner"} <= set(args) and "--dbname=banwu" in args


def test_default_file_name_is_local_time():
    import datetime

    assert backups.default_backup_path(Path("var/backups"), datetime.datetime(2026, 3, 1, 2, 3, 4)) == Path(
        "var/backups/banwu-20260301-020304.dump"
    )
