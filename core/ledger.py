"""Ledgers: rows that are written once and never edited or deleted.

A correction voids the row instead: who voided it, when and why are set
once, the row stays (shown struck through) and every total leaves it out
(`Sum` over rows with `voided_at IS NULL`). Every ledger of the product is
built from these three pieces:

- `Voidable`, the abstract model with the void fields;
- `void_constraint(prefix)`, the CHECK that a voided row names its author
  and its reason (one per model: constraint names are per table);
- `void(queryset, actor=…, reason=…)`, the one way a service voids rows:
  a conditional UPDATE on `voided_at IS NULL`, so voiding twice (a double
  tap, two people at once) changes nothing the second time.

The admin side is `core.admin.ReadOnlyAdmin`: ledger rows are read there,
never added, changed or deleted.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

REASON_MAX_LENGTH = 200

VOID_HAS_AUTHOR_AND_REASON = Q(voided_at__isnull=True) | (Q(voided_by__isnull=False) & ~Q(void_reason=""))
VOID_MESSAGE = _("A voided entry needs the person who voided it and a reason.")
REASON_MISSING = _("Say why the entry is voided.")


class Voidable(models.Model):
    """The void fields of a ledger row: a correction sets them once (the
    model's `void_constraint` requires the author and the reason) and the
    row stays, struck through."""

    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("voided by")
    )
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_reason = models.CharField(_("void reason"), max_length=REASON_MAX_LENGTH, blank=True)

    class Meta:
        abstract = True

    @property
    def is_voided(self):
        return self.voided_at is not None


def void_constraint(prefix: str, message=VOID_MESSAGE) -> models.CheckConstraint:
    """The CHECK every Voidable model carries, named
    `<prefix>_void_has_author_and_reason`."""
    return models.CheckConstraint(
        condition=VOID_HAS_AUTHOR_AND_REASON, name=f"{prefix}_void_has_author_and_reason", violation_error_message=message
    )


def void(queryset, *, actor, reason: str, missing=REASON_MISSING, field: str | None = None) -> int:
    """Void the rows of `queryset` not voided yet, with `actor` and
    `reason` (stripped, cut to the column's length); returns how many
    changed. An empty reason is refused with `missing` (under `field` when
    the page shows it beside a form field). The caller holds the
    transaction and writes the audit row when something changed."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: missing} if field else missing)
    return queryset.filter(voided_at__isnull=True).update(
        voided_at=timezone.now(), voided_by=actor, void_reason=reason[:REASON_MAX_LENGTH]
    )
