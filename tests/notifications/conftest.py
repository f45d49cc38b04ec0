import pytest

from config.celery import app as celery_app
from notifications import services


@pytest.fixture(autouse=True)
def default_channels(settings):
    """The shipped defaults, whatever the environment says."""
    settings.NOTIFICATION_CHANNELS = ["email", "sms:log", "wechat:log"]
    settings.SITE_URL = "https://banwu.example.cn"


@pytest.fixture
def eager_celery():
    """Tasks run in the test process when they are sent."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture
def send(world):
    """notify() with the fields a test does not care about filled in."""

    def _send(recipients, key="test:1", kind="home_school.notice", title="开家长会", **kwargs):
        return services.notify(
            school=world.school,
            recipients=recipients,
            kind=kind,
            title=title,
            body=kwargs.pop("body", "周五 15:00 在六(1)班教室。"),
            link=kwargs.pop("link", "/portal/"),
            dedupe_key=key,
            **kwargs,
        )

    return _send


