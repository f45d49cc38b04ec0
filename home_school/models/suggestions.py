"""The suggestion box (意见箱): guardians write to their child's head
teacher or to the school office; the recipient replies.

Anonymity that holds (DESIGN.md invariant 5). An anonymous suggestion
stores nothing that lets the school find the writer:
- no user and no child: only the class it is addressed to (needed to route
  it to the head teacher) or none (to the office);
- no exact time: every suggestion, named or not, stores the date only, so
  named rows written the same day cannot bracket an anonymous one;
- a random UUID key, so row ids do not order suggestions either;
- the writer holds a one-time code shown once; the row keeps only its
  SHA-256 (`code_hash`). The code has ~60 bits of entropy, so a fast
  hash is enough and lets the code be looked up directly.
The daily rate limit is counted in the cache, never in the database
(home_school.services.suggestions.suggestion_quota_take says why).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SuggestionRecipient(models.TextChoices):
    HEAD_TEACHER = "head_teacher", _("my child's head teacher")
    OFFICE = "office", _("the school office")


class Suggestion(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    recipient = models.CharField(_("to"), max_length=12, choices=SuggestionRecipient.choices)
    school_class = models.ForeignKey(
        "classes.SchoolClass", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("class")
    )
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    writer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    written_on = models.DateField(_("date"))
    body = models.TextField(_("suggestion"), max_length=2000)
    code_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-written_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient__in=["head_teacher", "office"]),
                name="suggestion_recipient_known",
                violation_error_message=_("Choose whom the suggestion is for from the list."),
            ),
            # A suggestion to a head teacher names the class; one to the office names none.
            models.CheckConstraint(
                condition=(Q(recipient="head_teacher") & Q(school_class__isnull=False))
                | (Q(recipient="office") & Q(school_class__isnull=True)),
                name="suggestion_class_iff_head_teacher",
                violation_error_message=_("A suggestion to a head teacher names the class; one to the school office names none."),
            ),
            # Anonymous: no writer, a code. Named: a writer, no code.
            models.CheckConstraint(
                condition=(Q(is_anonymous=True) & Q(writer__isnull=True) & Q(code_hash__isnull=False))
                | (Q(is_anonymous=False) & Q(writer__isnull=False) & Q(code_hash__isnull=True)),
                name="suggestion_anonymous_has_no_writer",
                violation_error_message=_("An anonymous suggestion keeps no writer and a named one no code."),
            ),
        ]
        indexes = [
            # The head teacher's and the office's inboxes.
            models.Index(fields=["school", "recipient", "-written_on"]),
            models.Index(fields=["writer", "-written_on"]),
        ]

    def __str__(self):
        return self.body[:40]


class SuggestionReply(models.Model):
    """The recipient's answer; the writer reads it in the portal."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="replies", verbose_name=_("suggestion"))
    body = models.TextField(_("reply"), max_length=2000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("replied by"))
    created_at = models.DateTimeField(_("replied at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("reply to a suggestion")
        verbose_name_plural = _("replies to suggestions")
        ordering = ["suggestion", "created_at", "pk"]

    def __str__(self):
        return self.body[:40]
