import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RequestKey(models.Model):
    """The first answer to a POST that carried this key, kept so that the
    same request sent again (a double tap, a phone retrying on a bad
    network) answers with it and writes nothing.

    Written only by core.idempotency.exactly_once, in the same transaction
    as the rows the view's service wrote; purged after a few days
    (core.services.request_keys_purge)."""

    # Random, not a sequence: an anonymous row's place among the others must
    # not tell when it was written.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # None for an anonymous action (core.idempotency: exactly_once(anonymous=True)).
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    # The school the request was made in, so the table can be distributed by
    # school like every school-owned table; a plain id, because core sits
    # below classes and imports no domain app.
    school_id = models.PositiveBigIntegerField(_("school"), null=True, blank=True)
    key = models.UUIDField(_("request key"), default=uuid.uuid4)
    # SHA-256 of what was sent (core.idempotency.fingerprint): the same key
    # with something else sent is refused, not answered with this.
    fingerprint = models.CharField(max_length=64, blank=True)
    action = models.CharField(_("action"), max_length=120)
    status = models.PositiveSmallIntegerField(_("status"))
    location = models.CharField(_("redirected to"), max_length=2000, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    messages = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("request key")
        verbose_name_plural = _("request keys")
        constraints = [
            # core.idempotency.exactly_once relies on this: of two requests with
            # one key, the second INSERT waits for the first and then fails.
            models.UniqueConstraint(
                fields=["actor", "key"],
                name="requestkey_once_per_actor",
                violation_error_message=_("This request was sent already."),
            ),
            # The same for anonymous rows, whose key is already tied to the person by an HMAC.
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(actor__isnull=True),
                name="requestkey_once_anonymous",
                violation_error_message=_("This request was sent already."),
            ),
        ]

    def __str__(self):
        return f"{self.action} {self.key}"
