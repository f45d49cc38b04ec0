"""A real task round-trips through a real worker on Redis: the message is
sent to the broker, an embedded worker thread takes it, runs the roster
import against the database and stores the result in Redis.

Skipped when Redis is unreachable, unless BANWU_REQUIRE_SERVICES=1 (CI),
where it fails instead."""

import os
import threading
import uuid

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections

from config.celery import app
from students.models import Enrollment, RosterImport, Student
from students.roster.services import roster_import_create
from students.tasks import roster_import_run

from .students.test_roster_import import GOOD_ROWS, csv_bytes

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
SETTINGS = (
    "broker_url",
    "result_backend",
    "broker_transport_options",
    "task_always_eager",
    "task_default_queue",
    "worker_hijack_root_logger",
)


def _redis_problem() -> str | None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=2).ping()
    except (redis.RedisError, OSError) as exc:
        return f"Redis is not reachable at {REDIS_URL} ({exc}); set REDIS_URL or start Redis"
    return None


def _forget_connections():
    """The app caches its broker pool, queues and result backend; after the
    settings change, build them anew."""
    app._pool = None
    app.__dict__.pop("amqp", None)
    app._backend_cache = None
    app._local = threading.local()


@pytest.fixture
def redis_app():
    problem = _redis_problem()
    if problem:
        if os.environ.get("BANWU_REQUIRE_SERVICES") == "1":
            pytest.fail(problem)
        pytest.skip(problem)
    saved = {key: app.conf[key] for key in SETTINGS}
    app.conf.update(
        broker_url=REDIS_URL,
        result_backend=REDIS_URL,
        broker_transport_options={"visibility_timeout": 3600},
        task_always_eager=False,
        # A queue of its own, so runs sharing the Redis database (other
        # checkouts, xdist workers) never take each other's messages.
        task_default_queue=f"banwu-test-{uuid.uuid4().hex}",
        worker_hijack_root_logger=False,
    )
    _forget_connections()
    try:
        yield app
    finally:
        app.conf.update(saved)
        _forget_connections()


@pytest.fixture
def worker_closes_its_database_connections():
    """The worker thread opens its own connections; close them after each
    task so the test database can be dropped at the end of the run."""

    def close(**kwargs):
        connections.close_all()

    task_postrun.connect(close, weak=False)
    yield
    task_postrun.disconnect(close)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_roster_import_task_runs_on_a_real_worker(world, redis_app, worker_closes_its_database_connections):
    roster_import = roster_import_create(
        school=world.school, uploaded_by=world.school_admin, file_name="roster.csv", content=csv_bytes(GOOD_ROWS)
    )

    with start_worker(redis_app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as worker:
        assert list(worker.app.amqp.queues) == [redis_app.conf.task_default_queue]
        result = roster_import_run.delay(roster_import.pk)
        assert result.get(timeout=30) == RosterImport.Status.DONE

    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.DONE
    assert roster_import.processed_rows == 3
    numbers = ["20260201", "20260202", "20260203"]
    assert Student.objects.filter(school=world.school, student_number__in=numbers).count() == 3
    assert Enrollment.objects.filter(student__student_number__in=numbers, school_class=world.class2).count() == 3
