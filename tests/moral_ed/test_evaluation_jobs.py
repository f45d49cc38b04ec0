"""The weekly and monthly evaluation jobs, the evaluate_month command,
and the beat schedules' task names."""

import datetime
import importlib
import io
import pkgutil
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django_celery_beat.models import PeriodicTask

from moral_ed.models import ClassResult, Evaluation, EvaluationRevision, RevisionStatus
from moral_ed.tasks import evaluations as tasks
from notifications.models import Notification
from tests.concurrency import at_once, failures

from .test_evaluation_support import NOV, class_event, veto


@pytest.fixture
def eager():
    from config.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


# --- Jobs -------------------------------------------------------------------------------------


def test_weekly_job_ranks_and_publishes_last_week_for_every_school(world, eager):
    class_event(world, world.class1, -2, day=datetime.date(2026, 11, 18))
    with time_machine.travel("2026-11-23 01:00 +0800", tick=False):
        tasks.weekly_evaluations()
        tasks.weekly_evaluations()  # a second run (or a retried task) changes nothing
    evaluations = Evaluation.objects.filter(kind="weekly")
    assert {(e.school_id, e.period_start) for e in evaluations} == {
        (world.school.pk, datetime.date(2026, 11, 16)),
        (world.b.school.pk, datetime.date(2026, 11, 16)),
    }
    assert EvaluationRevision.objects.count() == 2
    assert set(EvaluationRevision.objects.values_list("status", flat=True)) == {RevisionStatus.PUBLISHED}
    row = ClassResult.objects.get(school_class=world.class1)
    assert (row.score, row.rank_in_school) == (98, 2)
    assert not Notification.objects.exists()


def test_weekly_job_in_the_holidays_does_nothing(world, eager):
    with time_machine.travel("2027-02-08 01:00 +0800", tick=False):  # after the term's end (2027-01-20)
        tasks.weekly_evaluations()
    assert not Evaluation.objects.exists()


def test_monthly_job_leaves_a_preview_and_tells_the_office_once(world, eager):
    class_event(world, world.class1, -2)
    with time_machine.travel("2026-12-01 02:00 +0800", tick=False):
        tasks.monthly_evaluations()
        tasks.monthly_evaluations()
    revision = EvaluationRevision.objects.get(school=world.school)
    assert (revision.evaluation.kind, revision.evaluation.period_start, revision.status) == ("monthly", NOV, RevisionStatus.DRAFT)
    notes = Notification.objects.filter(kind="moral_ed.evaluation_preview")
    assert {n.recipient_id for n in notes} == {world.office.pk, world.b.office.pk}
    assert notes.filter(recipient=world.office).count() == 1
    # The head teachers hear nothing until the office publishes.
    assert not Notification.objects.filter(recipient=world.head_teacher).exists()


def test_monthly_job_announces_a_preview_computed_again_with_other_figures(world, eager):
    with time_machine.travel("2026-12-01 02:00 +0800", tick=False):
        tasks.monthly_evaluation_for_school(world.school.pk, "2026-11-01")
        veto(world, world.class2, "打架")
        tasks.monthly_evaluation_for_school(world.school.pk, "2026-11-01")
    assert EvaluationRevision.objects.filter(school=world.school).count() == 1
    assert Notification.objects.filter(kind="moral_ed.evaluation_preview", recipient=world.office).count() == 2


@pytest.mark.django_db(transaction=True)
def test_monthly_task_on_two_workers_at_once_files_one_revision_and_one_message(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs two PostgreSQL connections")
    class_event(world, world.class1, -2)

    def worker():
        tasks.monthly_evaluation_for_school(world.school.pk, "2026-11-01")

    with time_machine.travel("2026-12-01 02:00 +0800", tick=False):
        outcomes = at_once(worker, worker)
    assert not failures(outcomes), outcomes
    assert EvaluationRevision.objects.filter(school=world.school).count() == 1
    assert Notification.objects.filter(kind="moral_ed.evaluation_preview", recipient=world.office).count() == 1


# --- Beat schedules ------------------------------------------------------------------------------


def _schedule_migrations():
    """Every data migration of the project's apps that seeds beat schedules."""
    root = Path(settings.BASE_DIR).resolve()
    found = []
    for config in apps.get_app_configs():
        if root not in Path(config.path).resolve().parents:
            continue
        try:
            package = importlib.import_module(f"{config.name}.migrations")
        except ModuleNotFoundError:
            continue
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{config.name}.migrations.{info.name}")
            if hasattr(module, "SCHEDULES") and hasattr(module, "forwards"):
                found.append(module)
    return found


def test_every_scheduled_task_name_is_a_registered_task(db):
    """The rows the data migrations write (run again here: the suite builds
    tables without migrations) name only tasks the Celery app knows, or beat
    would send messages no worker can run."""
    from config.celery import app

    modules = _schedule_migrations()
    names = {m.__name__.rsplit(".", 2)[0] + ":" + m.__name__.rsplit(".", 1)[1] for m in modules}
    assert {
        "accounts:0004_default_schedules",
        "moral_ed:0002_default_schedules",
        "moral_ed:0005_office_schedules",
        "home_school:0002_default_schedules",
        "notifications:0003_default_schedules",
    } <= names
    for module in modules:
        module.forwards(apps, None)
    app.loader.import_default_modules()
    scheduled = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {"moral_ed.weekly_evaluations", "moral_ed.monthly_evaluations"} <= scheduled
    missing = sorted(scheduled - set(app.tasks))
    assert not missing, f"scheduled but not registered: {missing}"


# --- The command ---------------------------------------------------------------------------------


def _call(*args):
    out = io.StringIO()
    call_command("evaluate_month", *args, stdout=out)
    return out.getvalue()


def test_command_evaluates_the_month_for_every_active_school(world):
    class_event(world, world.class1, -2)
    veto(world, world.class2, "打架")
    output = _call("2026-11")
    assert "A01" in output and "B01" in output
    assert EvaluationRevision.objects.count() == 2
    a = EvaluationRevision.objects.get(school=world.school)
    assert a.digest[:12] in output
    again = _call("2026-11", "--school", "A01")
    assert "B01" not in again
    assert EvaluationRevision.objects.count() == 2


def test_command_dry_run_prints_the_summary_and_writes_nothing(world):
    class_event(world, world.class1, -2)
    veto(world, world.class2, "打架")
    output = _call("2026-11", "--school", "A01", "--dry-run")
    assert "A01" in output and "2026-11" in output
    assert not Evaluation.objects.exists() and not ClassResult.objects.exists()
    # The figures are those a real run stores.
    real = _call("2026-11", "--school", "A01")
    digest = EvaluationRevision.objects.get().digest[:12]
    assert digest in output and digest in real
    # Same counts of classes, civilized and vetoed classes before the digest.
    assert output.split(digest)[0] == real.split(digest)[0]


@pytest.mark.parametrize("month", ["2026-13", "11-2026", "2026/11", "november"])
def test_command_refuses_a_bad_month(world, month):
    with pytest.raises(CommandError) as error:
        _call(month)
    assert month in str(error.value)
    assert not Evaluation.objects.exists()


def test_command_refuses_an_unknown_school_code(world):
    with pytest.raises(CommandError) as error:
        _call("2026-11", "--school", "NOPE")
    assert "NOPE" in str(error.value)


def test_command_explains_a_month_outside_the_term(world):
    with pytest.raises(CommandError):
        _call("2027-03", "--school", "A01")
    output = _call("2027-03")
    assert "A01" in output and "B01" in output
    assert not Evaluation.objects.exists()
