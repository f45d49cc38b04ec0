import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.text import BODY_MAX

# Quiet hours may not last longer than this, so a school message still
# reaches a person the day it is sent.
MAX_QUIET = datetime.timedelta(hours=12)


class Notification(models.Model):
    """One message in one person's inbox.

    `dedupe_key` names what the message is about (e.g.
    `moral_ed.weekly_summary:class=12:week=2026-11-16`); the unique
    constraint, not a check in code, makes a retried job deliver nothing twice.
    """

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=BODY_MAX, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    dedupe_key = models.CharField(_("de-duplication key"), max_length=200)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            # notifications.services.notify relies on this to deliver once.
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                name="notification_once_per_key",
                violation_error_message=_("This person has this notification already."),
            ),
        ]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]

    def __str__(self):
        return self.title


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    SKIPPED = "skipped", _("skipped")
    # The person chose the daily digest: held until the digest job runs,
    # then marked DIGESTED (the digest message has its own deliveries).
    DIGEST = "digest", _("waiting for the daily digest")
    DIGESTED = "digested", _("sent in the daily digest")


class Delivery(models.Model):
    """One notification sent (or not) over one channel besides the inbox.

    `not_before` is when the job may send it: the end of the person's quiet
    hours, or now. While a worker sends it, and after a failed attempt, it
    is pushed forward (a lease), so a second worker does not take it.
    """

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("notification")
    )
    channel = models.CharField(_("channel"), max_length=20)
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    not_before = models.DateTimeField(_("not before"), default=timezone.now)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(pgettext_lazy("time", "sent"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            # notifications.services.notify inserts with ignore_conflicts and
            # relies on this so a retried call adds no second delivery.
            models.UniqueConstraint(
                fields=["notification", "channel"],
                name="delivery_once_per_channel",
                violation_error_message=_("This notification is queued for this channel already."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values),
                name="delivery_status_known",
                violation_error_message=_("Choose a delivery status from the list."),
            ),
        ]
        indexes = [
            # notifications.services.deliveries_send_due and digest_send_due pick rows by status and time.
            models.Index(fields=["status", "not_before"], name="delivery_due_idx"),
        ]

    def __str__(self):
        return f"{self.notification_id} · {self.channel} · {self.status}"


def _default_quiet_start():
    return datetime.time(21, 30)


def _default_quiet_end():
    return datetime.time(7, 0)


class NotificationPreference(models.Model):
    """How and when one person wants messages besides the inbox. A person
    without a row has the defaults (an unsaved instance stands for them)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("person"),
    )
    quiet_start = models.TimeField(_("quiet hours start"), default=_default_quiet_start)
    quiet_end = models.TimeField(_("quiet hours end"), default=_default_quiet_end)
    daily_digest = models.BooleanField(
        _("daily digest"), default=False, help_text=_("One summary message a day instead of one message per notification.")
    )
    channels_off = models.JSONField(_("channels turned off"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            # notifications.models.NotificationPreference.quiet_until needs a non-empty period.
            models.CheckConstraint(
                condition=~Q(quiet_start=F("quiet_end")),
                name="notification_quiet_not_empty",
                violation_error_message=_("Quiet hours must end at a different time than they start."),
            ),
        ]

    def __str__(self):
        return str(self.user)

    def clean(self):
        if self.quiet_start is None or self.quiet_end is None:
            return
        if self.quiet_start == self.quiet_end:
            raise ValidationError({"quiet_end": _("Quiet hours must end at a different time than they start.")})
        if self.quiet_length() > MAX_QUIET:
            raise ValidationError(
                {"quiet_end": _("Quiet hours can last at most 12 hours, so school messages still reach you the same day.")}
            )
        if not isinstance(self.channels_off, list) or not all(isinstance(c, str) for c in self.channels_off):
            raise ValidationError({"channels_off": _("Choose channels from the list.")})

    def quiet_length(self) -> datetime.timedelta:
        start = datetime.datetime.combine(datetime.date.min, self.quiet_start)
        end = datetime.datetime.combine(datetime.date.min, self.quiet_end)
        length = end - start
        return length if length > datetime.timedelta(0) else length + datetime.timedelta(days=1)

    def quiet_until(self, now: datetime.datetime) -> datetime.datetime | None:
        """The end of the quiet period `now` falls in (an aware datetime),
        or None outside quiet hours. Times are the school's local time
        (settings.TIME_ZONE, Asia/Shanghai)."""
        tz = timezone.get_default_timezone()
        local = timezone.localtime(now, tz)
        t = local.time()
        start, end = self.quiet_start, self.quiet_end
        if start < end:  # e.g. 12:00–14:00, within one day
            quiet = start <= t < end
            day = local.date()
        else:  # e.g. 21:30–07:00, across midnight
            quiet = t >= start or t < end
            day = local.date() + datetime.timedelta(days=1) if t >= start else local.date()
        if not quiet:
            return None
        return datetime.datetime.combine(day, end, tzinfo=tz)
