"""The beat schedules, declared once, beside their tasks.

Each app's tasks module declares its periodic jobs with `declare()` when it
is imported. What beat runs are rows in django-celery-beat's tables
(PeriodicTask and CrontabSchedule, Asia/Shanghai), which an administrator
may edit in the admin; `install()` writes them from the declarations. The
apps' data migrations call it through `migration_installer()`, and
`manage.py schedules --install` calls it on a live database.

Installing is idempotent and keeps what an administrator did: a schedule
whose name is already in the database is left exactly as it is (times,
expiry, enabled), as the data migrations always did. Only `reset=True`
(the command's --reset) puts the declared task, times, expiry, description
and arguments back; whether a schedule is enabled is never changed here.

The registry is complete once every installed app's tasks module has been
imported: `declared()` imports them (Celery's autodiscovery imports the
same modules in a worker), so migrations and the command see every
schedule whatever was imported before.
"""

import dataclasses
import json
from collections.abc import Iterable

from celery.schedules import crontab as celery_crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules

# The time zone of every schedule's crontab: the schools' local time.
TIMEZONE = "Asia/Shanghai"


@dataclasses.dataclass(frozen=True)
class Crontab:
    """The five crontab fields (as django-celery-beat stores them, strings)."""

    minute: str = "*"
    hour: str = "*"
    day_of_week: str = "*"
    day_of_month: str = "*"
    month_of_year: str = "*"

    def fields(self) -> dict[str, str]:
        return dataclasses.asdict(self)

    def __str__(self) -> str:
        # crontab(5) order: minute hour day-of-month month day-of-week.
        return f"{self.minute} {self.hour} {self.day_of_month} {self.month_of_year} {self.day_of_week}"


@dataclasses.dataclass(frozen=True)
class Schedule:
    name: str
    task: str
    crontab: Crontab
    expires_seconds: int
    # Stored as PeriodicTask.description: a literal (both languages), not a
    # translation, so the row is the same whatever language runs migrate.
    description: str
    args: tuple = ()
    kwargs: dict = dataclasses.field(default_factory=dict)

    @property
    def app_label(self) -> str:
        """Task names start with their app's label ("moral_ed.dorm_ladder")."""
        return self.task.partition(".")[0]

    @property
    def cron(self) -> dict[str, str]:
        return self.crontab.fields()

    def __getitem__(self, key: str):
        """Read like the dicts the data migrations held before the registry
        (schedule["cron"]["hour"]): tests and old code still read them so."""
        if key not in ("name", "task", "cron", "expires_seconds", "description"):
            raise KeyError(key)
        return getattr(self, key)


# Name -> schedule, in the order of declaration.
_registry: dict[str, Schedule] = {}


def declare(
    *,
    name: str,
    task: str,
    crontab: Crontab,
    expires_seconds: int,
    description: str,
    args: Iterable = (),
    kwargs: dict | None = None,
) -> Schedule:
    """Declare a periodic job (called at import time of a tasks module).
    `name` is the PeriodicTask's name, the key by which an installed row is
    found: never rename a schedule, or databases get a second row. A name
    declared twice is refused."""
    if name in _registry:
        raise ImproperlyConfigured(f"The beat schedule {name!r} is declared twice.")
    if not 0 < len(name) <= 200:  # PeriodicTask.name max_length
        raise ImproperlyConfigured(f"A beat schedule name has 1 to 200 characters: {name!r}.")
    if "." not in task:
        raise ImproperlyConfigured(f"Beat schedule {name!r}: the task name starts with its app label ({task!r}).")
    if expires_seconds <= 0:
        raise ImproperlyConfigured(f"Beat schedule {name!r}: expires_seconds must be positive.")
    try:
        celery_crontab(**crontab.fields())
    except ValueError as e:
        raise ImproperlyConfigured(f"Beat schedule {name!r}: {e}") from None
    schedule = Schedule(
        name=name,
        task=task,
        crontab=crontab,
        expires_seconds=expires_seconds,
        description=description,
        args=tuple(args),
        kwargs=dict(kwargs or {}),
    )
    json.dumps([schedule.args, schedule.kwargs])  # task arguments are JSON (ids and ISO dates): refuse others now
    _registry[name] = schedule
    return schedule


def declared(app_label: str | None = None) -> list[Schedule]:
    """Every declared schedule (or one app's), grouped by app in the order
    of declaration, after importing each installed app's tasks module."""
    autodiscover_modules("tasks")
    found = [s for s in _registry.values() if app_label is None or s.app_label == app_label]
    return sorted(found, key=lambda s: s.app_label)  # stable: declaration order within an app


def named(*names: str) -> tuple[Schedule, ...]:
    """The declared schedules with these names, in this order (KeyError for one not declared)."""
    autodiscover_modules("tasks")
    return tuple(_registry[name] for name in names)


@dataclasses.dataclass
class Installed:
    created: list[str] = dataclasses.field(default_factory=list)
    reset: list[str] = dataclasses.field(default_factory=list)
    kept: list[str] = dataclasses.field(default_factory=list)


def _select(only_app: str | None, names: Iterable | None) -> list[Schedule]:
    if names is None:
        return declared(only_app)
    selected = named(*[n if isinstance(n, str) else n.name for n in names])
    stray = [s.name for s in selected if only_app is not None and s.app_label != only_app]
    if stray:
        raise ImproperlyConfigured(f"Not schedules of {only_app}: {stray}.")
    return list(selected)


def _crontab_row(CrontabSchedule, crontab: Crontab):
    # An administrator may have added an identical crontab in the admin,
    # which has no unique constraint: use the first rather than fail.
    fields = {"timezone": TIMEZONE, **crontab.fields()}
    row = CrontabSchedule.objects.filter(**fields).order_by("pk").first()
    return row or CrontabSchedule.objects.create(**fields)


def differences(row, schedule: Schedule) -> list[str]:
    """What in an installed PeriodicTask differs from its declaration
    (changed in the admin, or the declaration changed since): a subset of
    task, crontab, expires_seconds, description, args, kwargs."""
    changed = []
    if row.task != schedule.task:
        changed.append("task")
    cron = row.crontab
    if (
        cron is None
        or row.interval_id is not None
        or row.solar_id is not None
        or row.clocked_id is not None
        or {f: getattr(cron, f) for f in schedule.cron} != schedule.cron
        or str(cron.timezone) != TIMEZONE
    ):
        changed.append("crontab")
    if row.expire_seconds != schedule.expires_seconds:
        changed.append("expires_seconds")
    if row.description != schedule.description:
        changed.append("description")
    if json.loads(row.args or "[]") != list(schedule.args):
        changed.append("args")
    if json.loads(row.kwargs or "{}") != schedule.kwargs:
        changed.append("kwargs")
    return changed


def install(apps=None, *, only_app: str | None = None, names: Iterable | None = None, reset: bool = False) -> Installed:
    """Write the declared schedules (all, one app's, or those named) into
    django-celery-beat's tables. `apps` is a migration's app registry, or
    None for the running project's. Idempotent: a schedule is found by name
    and never written twice (PeriodicTask.name is unique). An existing one
    is kept as it is unless `reset`, which puts back the declared values
    except `enabled`. Permission: whoever runs migrate or the command."""
    if apps is None:
        from django.apps import apps
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    result = Installed()
    for schedule in _select(only_app, names):
        crontab = _crontab_row(CrontabSchedule, schedule.crontab)
        declared_values = {
            "task": schedule.task,
            "crontab": crontab,
            "interval": None,
            "solar": None,
            "clocked": None,
            "expire_seconds": schedule.expires_seconds,
            "description": schedule.description,
            "args": json.dumps(list(schedule.args)),
            "kwargs": json.dumps(schedule.kwargs),
        }
        row, created = PeriodicTask.objects.get_or_create(name=schedule.name, defaults=declared_values)
        if created:
            result.created.append(schedule.name)
        elif reset and differences(row, schedule):
            for field, value in declared_values.items():
                setattr(row, field, value)
            row.save()
            result.reset.append(schedule.name)
        else:
            result.kept.append(schedule.name)
    return result


def remove(apps=None, *, only_app: str | None = None, names: Iterable | None = None) -> int:
    """Delete the PeriodicTask rows of these schedules (a data migration
    rolled back); their crontab rows stay, as they always did."""
    if apps is None:
        from django.apps import apps
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    deleted, _ = PeriodicTask.objects.filter(name__in=[s.name for s in _select(only_app, names)]).delete()
    return deleted


def migration_installer(app_label: str, names: Iterable | None = None):
    """RunPython code for an app's data migration: install the app's
    schedules (or those named, the ones the migration introduced) without
    touching existing ones. Each migration names its schedules so a fresh
    database gets every row from the same migration, in the same order, as
    when the values were copied into the migrations."""
    names = None if names is None else [n if isinstance(n, str) else n.name for n in names]

    def forwards(apps, schema_editor):
        install(apps, only_app=app_label, names=names)

    forwards.schedules_app_label = app_label  # tests find the installers among a migration's operations
    return forwards


def migration_remover(app_label: str, names: Iterable | None = None):
    """RunPython reverse code matching migration_installer(): delete the
    PeriodicTask rows the forward step installed, as the migrations did."""
    names = None if names is None else [n if isinstance(n, str) else n.name for n in names]

    def backwards(apps, schema_editor):
        remove(apps, only_app=app_label, names=names)

    return backwards
