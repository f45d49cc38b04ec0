"""Class inspections (班级量化考核): items as rows, an append-only ledger
of class events, and vetoes (一票否决).

Like the conduct ledger, ClassEvent and ClassVeto rows are never deleted and
their points never change; a correction voids the row (author and reason
required) and the row stays. Totals are `Sum` over unvoided rows.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ledger import Voidable, void_constraint

from .conduct import (
    POINTS,
    POINTS_NOT_ZERO_MESSAGE,
    half_points_errors,
    item_points_rules,
)


class InspectionItem(models.Model):
    """A class-level inspection item, e.g. 迟到早退 −1 or 包干区清扫 −2."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="inspection_items", verbose_name=_("school"))
    name = models.CharField(_("name"), max_length=40)
    points = models.DecimalField(
        _("points"), **POINTS, help_text=_("Negative to deduct (the usual case), positive to add; half points allowed.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("inspection item")
        verbose_name_plural = _("inspection items")
        ordering = ["school", "ordering", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"], name="inspectionitem_unique_name",
                violation_error_message=_("The school has an inspection item with this name already."),
            ),
            *item_points_rules("inspectionitem"),
        ]

    def __str__(self):
        return f"{self.name} ({self.points:+})"

    def clean(self):
        super().clean()
        if errors := half_points_errors(self, "points"):
            raise ValidationError(errors)


class ClassEvent(Voidable):
    """One inspection entry against a class on one school day."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    term = models.ForeignKey("classes.Term", on_delete=models.PROTECT, related_name="+", verbose_name=_("term"))
    school_class = models.ForeignKey(
        "classes.SchoolClass", on_delete=models.PROTECT, related_name="class_events", verbose_name=_("class")
    )
    item = models.ForeignKey(InspectionItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("item"))
    points = models.DecimalField(_("points"), **POINTS)
    note = models.CharField(_("note"), max_length=200, blank=True)
    occurred_on = models.DateField(_("school day"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("inspection entry")
        verbose_name_plural = _("inspection entries")
        ordering = ["-occurred_on", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(points=0), name="classevent_points_not_zero", violation_error_message=POINTS_NOT_ZERO_MESSAGE),
            void_constraint("classevent"),
        ]
        indexes = [
            # The weekly and monthly evaluation sum a school's period (moral_ed.services.evaluations).
            models.Index(fields=["school", "occurred_on"]),
            # The inspection grid of one day and a class's own inspection history.
            models.Index(fields=["school_class", "occurred_on"]),
        ]

    def __str__(self):
        return f"{self.school_class} {self.points:+} {self.note or self.item}"


class ClassVeto(Voidable):
    """A major incident (重大违纪) recorded against a class. While not voided
    it bars the class from the civilized-class award of the month it
    happened in and from the term's outstanding-class award, whatever its
    points."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    term = models.ForeignKey("classes.Term", on_delete=models.PROTECT, related_name="+", verbose_name=_("term"))
    school_class = models.ForeignKey("classes.SchoolClass", on_delete=models.PROTECT, related_name="vetoes", verbose_name=_("class"))
    occurred_on = models.DateField(_("date of the incident"))
    reason = models.CharField(_("reason"), max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("veto")
        verbose_name_plural = _("vetoes")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""), name="classveto_reason_required", violation_error_message=_("Say what happened: the reason is required.")
            ),
            void_constraint("classveto"),
        ]
        indexes = [models.Index(fields=["school", "occurred_on"])]

    def __str__(self):
        return f"{self.school_class} · {self.reason[:30]}"
