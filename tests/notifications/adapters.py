"""Adapters the tests configure by dotted path in NOTIFICATION_CHANNELS."""

import threading
import time

from notifications.channels import BaseAdapter

SENT = []
_lock = threading.Lock()


class RecordingAdapter(BaseAdapter):
    """Remembers every delivery it sends; slow enough for two workers to overlap."""

    def send(self, delivery) -> None:
        time.sleep(0.002)
        with _lock:
            SENT.append(delivery.pk)


class BrokenAdapter(BaseAdapter):
    """A provider that is down."""

    def send(self, delivery) -> None:
        raise ConnectionError("provider unreachable")
