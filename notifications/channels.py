"""Delivery channels besides the in-app inbox.

settings.NOTIFICATION_CHANNELS lists them: the built-in "email", "sms:log"
and "wechat:log" (the last two only write to the log), or "name:dotted.path"
to an adapter class, e.g. "sms:school_sms.AliyunSmsAdapter". An adapter's `send(delivery)` returns when the
message is handed over and raises on failure (the job records the error and
retries); it raises Unreachable when the person has no address for it (the
delivery is skipped, not retried).
"""

import abc
import logging
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail
from django.utils.module_loading import import_string

logger = logging.getLogger("notifications.channels")


class Unreachable(Exception):
    """The person has no address on this channel; do not retry."""


class ChannelAdapter(Protocol):
    name: str

    def reaches(self, user) -> bool:
        """Whether the person has an address here (no query: the user row only)."""

    def send(self, delivery) -> None:
        """Hand the message over; raise on failure."""


class BaseAdapter(abc.ABC):
    def __init__(self, name: str):
        self.name = name

    def reaches(self, user) -> bool:
        return True

    @abc.abstractmethod
    def send(self, delivery) -> None:
        """Deliver or raise (Unreachable when the person has no address here)."""

    @staticmethod
    def absolute_link(notification) -> str:
        link = notification.link
        return f"{settings.SITE_URL.rstrip('/')}{link}" if link.startswith("/") else ""


class EmailAdapter(BaseAdapter):
    """Django's mail backend (EMAIL_URL), to the person's e-mail address."""

    def reaches(self, user) -> bool:
        return bool(user.email)

    def send(self, delivery) -> None:
        notification = delivery.notification
        user = notification.recipient
        if not user.email:
            raise Unreachable("no e-mail address")
        text = "\n\n".join(part for part in (notification.body, self.absolute_link(notification)) if part)
        send_mail(notification.title, text, None, [user.email], fail_silently=False)


class LogSmsAdapter(BaseAdapter):
    """Writes the SMS to the log instead of sending it: the default until a
    school configures a provider (a class with the same `send`)."""

    def reaches(self, user) -> bool:
        return bool(user.mobile)

    def send(self, delivery) -> None:
        user = delivery.notification.recipient
        if not user.mobile:
            raise Unreachable("no mobile number")
        logger.info(
            "sms to %s: %s (delivery %s)", _masked(user.mobile), delivery.notification.title, delivery.pk
        )


class LogWeChatAdapter(BaseAdapter):
    """Writes the WeChat template message to the log instead of sending it."""

    def send(self, delivery) -> None:
        logger.info(
            "wechat to user %s: %s (delivery %s)",
            delivery.notification.recipient_id,
            delivery.notification.title,
            delivery.pk,
        )


def _masked(mobile: str) -> str:
    return f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) >= 7 else "****"


# The built-in entries of NOTIFICATION_CHANNELS; any other entry is
# "name:dotted.path.to.Adapter".
BUILTIN = {
    "email": "notifications.channels.EmailAdapter",
    "sms:log": "notifications.channels.LogSmsAdapter",
    "wechat:log": "notifications.channels.LogWeChatAdapter",
}


def configured() -> dict[str, ChannelAdapter]:
    """The configured channels by name, in settings order."""
    adapters = {}
    for entry in getattr(settings, "NOTIFICATION_CHANNELS", []):
        entry = entry.strip()
        name, _, path = entry.partition(":")
        path = BUILTIN.get(entry, path)
        if not name or len(name) > 20 or "." not in path:
            raise ImproperlyConfigured(f"NOTIFICATION_CHANNELS: cannot read {entry!r}")
        try:
            cls = import_string(path)
        except ImportError as e:
            raise ImproperlyConfigured(f"NOTIFICATION_CHANNELS: {entry!r}: {e}")
        adapters[name] = cls(name)
    return adapters
