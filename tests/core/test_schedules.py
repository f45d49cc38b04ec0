"""The beat schedules' registry (core.schedules), its installer, the data
migrations that call it and `manage.py schedules`."""

import importlib
import io
import json

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython
from django.utils import translation
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from core import schedules

pytestmark = pytest.mark.django_db


def _installers():
    """The RunPython steps built by schedules.migration_installer, in the
    order a fresh `migrate` runs them."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    plan = []
    for leaf in sorted(loader.graph.leaf_nodes()):
        plan += [key for key in loader.graph.forwards_plan(leaf) if key not in plan]
    return [
        operation.code
        for key in plan
        for operation in loader.graph.nodes[key].operations
        if isinstance(operation, RunPython) and hasattr(operation.code, "schedules_app_label")
    ]


def _empty():
    """The suite's database was migrated, but a transactional test may have
    flushed it since: start every test from no schedules at all."""
    PeriodicTask.objects.all().delete()
    CrontabSchedule.objects.all().delete()


def _rows():
    return {
        row.name: (
            row.task,
            {f: getattr(row.crontab, f) for f in ("minute", "hour", "day_of_week", "day_of_month", "month_of_year")},
            str(row.crontab.timezone),
            row.expire_seconds,
            row.description,
            json.loads(row.args),
            json.loads(row.kwargs),
            row.enabled,
        )
        for row in PeriodicTask.objects.select_related("crontab")
    }


def _declared_rows():
    return {
        s.name: (s.task, s.cron, "Asia/Shanghai", s.expires_seconds, s.description, list(s.args), s.kwargs, True)
        for s in schedules.declared()
    }


def _call(*args):
    out = io.StringIO()
    with translation.override("en"):
        call_command("schedules", *args, stdout=out)
    return out.getvalue()


def test_the_migrations_install_exactly_the_registry():
    _empty()
    installers = _installers()
    assert {code.schedules_app_label for code in installers} == {
        "accounts",
        "core",
        "home_school",
        "moral_ed",
        "notifications",
        "students",
    }
    for code in installers:
        code(apps, None)
    assert _rows() == _declared_rows()
    # Identical crontabs share a row, as they always did.
    assert CrontabSchedule.objects.count() == len({s.crontab for s in schedules.declared()})


def test_installing_twice_writes_nothing_the_second_time():
    _empty()
    n = len(schedules.declared())
    first = schedules.install()
    counts = (PeriodicTask.objects.count(), CrontabSchedule.objects.count())
    second = schedules.install()
    assert len(first.created) == n == counts[0] and not first.kept
    assert (PeriodicTask.objects.count(), CrontabSchedule.objects.count()) == counts
    assert not second.created and not second.reset and len(second.kept) == n
    assert _rows() == _declared_rows()


def test_installing_keeps_what_an_administrator_changed_and_reset_keeps_enabled():
    _empty()
    schedules.install()
    weekly = PeriodicTask.objects.get(name="moral_ed.weekly_summaries Monday 07:00")
    weekly.crontab = CrontabSchedule.objects.create(minute="30", hour="6", day_of_week="1", timezone="Asia/Shanghai")
    weekly.enabled = False
    weekly.save()

    kept = schedules.install()
    weekly.refresh_from_db()
    assert (weekly.crontab.hour, weekly.crontab.minute, weekly.enabled) == ("6", "30", False)
    assert not kept.created and not kept.reset

    reset = schedules.install(reset=True)
    weekly.refresh_from_db()
    assert reset.reset == ["moral_ed.weekly_summaries Monday 07:00"]
    assert (weekly.crontab.hour, weekly.crontab.minute, weekly.enabled) == ("7", "0", False)


def test_a_migration_installs_and_removes_only_its_own_schedules():
    _empty()
    migration = importlib.import_module("moral_ed.migrations.0002_default_schedules")
    migration.forwards(apps, None)
    assert set(PeriodicTask.objects.values_list("name", flat=True)) == {
        "moral_ed.staged_release_due every 10 minutes",
        "moral_ed.weekly_summaries Monday 07:00",
    }
    schedules.install(only_app="core")
    migration.backwards(apps, None)
    assert list(PeriodicTask.objects.values_list("name", flat=True)) == ["core.request_keys_purge nightly 03:30"]


def test_a_schedule_declared_twice_is_refused(monkeypatch):
    monkeypatch.setattr(schedules, "_registry", dict(schedules._registry))
    existing = schedules.declared()[0]
    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        schedules.declare(
            name=existing.name,
            task="core.request_keys_purge",
            crontab=schedules.Crontab(minute="5"),
            expires_seconds=60,
            description="twice",
        )
    assert schedules._registry[existing.name] is existing


def test_a_malformed_crontab_is_refused_when_declared(monkeypatch):
    monkeypatch.setattr(schedules, "_registry", dict(schedules._registry))
    with pytest.raises(ImproperlyConfigured):
        schedules.declare(
            name="core.test bad hour",
            task="core.request_keys_purge",
            crontab=schedules.Crontab(minute="0", hour="25"),
            expires_seconds=60,
            description="bad",
        )
    assert "core.test bad hour" not in schedules._registry


def test_every_declared_task_is_registered_with_celery():
    from config.celery import app

    app.loader.import_default_modules()
    declared = {s.task for s in schedules.declared()}
    assert declared and not declared - set(app.tasks)
    installed = {config.label for config in apps.get_app_configs()}
    assert {s.app_label for s in schedules.declared()} <= installed


def test_the_command_lists_every_schedule_and_whether_it_is_installed():
    _empty()
    output = _call()
    declared = schedules.declared()
    for schedule in declared:
        assert f"{schedule.name}\n  when: {schedule.crontab} (Asia/Shanghai)\n  task: {schedule.task}," in output
    assert output.count("database: not installed") == len(declared)
    assert f"{len(declared)} declared, 0 installed, {len(declared)} not installed." in output


def test_the_command_installs_and_shows_changes_in_the_database():
    _empty()
    n = len(schedules.declared())
    assert f"{n} added, 0 reset, 0 left as they were." in _call("--install")
    PeriodicTask.objects.filter(name="core.request_keys_purge nightly 03:30").update(enabled=False, expire_seconds=60)
    output = _call()
    assert "database: not installed" not in output
    assert output.count("database: enabled") == n - 1
    assert "database: disabled; differs from the code in: expiry; runs 30 3 * * * (Asia/Shanghai)" in output
    assert f"0 added, 0 reset, {n} left as they were." in _call("--install")
    assert "0 added, 1 reset, 0 left as they were." in _call("--install", "--reset", "--app", "core")
    row = PeriodicTask.objects.get(name="core.request_keys_purge nightly 03:30")
    assert (row.expire_seconds, row.enabled) == (6 * 3600, False)
    assert PeriodicTask.objects.count() == n


def test_the_command_names_periodic_tasks_no_code_declares():
    _empty()
    PeriodicTask.objects.create(
        name="hand-made",
        task="core.request_keys_purge",
        crontab=CrontabSchedule.objects.create(minute="0", hour="5", timezone="Asia/Shanghai"),
    )
    output = _call("--app", "core")
    assert "hand-made: task core.request_keys_purge, runs 0 5 * * * (Asia/Shanghai), enabled" in output
    assert "1 declared, 0 installed, 1 not installed." in output


def test_the_command_refuses_reset_without_install_and_an_unknown_app():
    with pytest.raises(CommandError):
        _call("--reset")
    with pytest.raises(CommandError):
        _call("--app", "nope")


def test_the_command_shows_the_declarations_when_the_database_cannot_be_read(monkeypatch):
    def unreadable(*args, **kwargs):
        raise DatabaseError("no such table: django_celery_beat_periodictask")

    monkeypatch.setattr(PeriodicTask.objects, "select_related", unreadable)
    output = _call()
    assert "The database cannot be read (no such table: django_celery_beat_periodictask)" in output
    assert f"{len(schedules.declared())} declared." in output
    assert "database:" not in output
