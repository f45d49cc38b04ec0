"""Participation points of guardians (家校共育奖励): an append-only ledger
filled from facts the system already knows (a parent meeting attended, a
notice confirmed in time, volunteering done) and a per-school table of
how much each kind is worth.

Points are shown to staff (the monthly recognition list) and to the
guardian themself; never to other families.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

POINTS = {"max_digits": 6, "decimal_places": 1}


class ParticipationKind(models.TextChoices):
    MEETING = "meeting_attended", _("parent meeting attended")
    NOTICE = "notice_confirmed", _("notice confirmed in time")
    VOLUNTEER = "volunteer_done", _("volunteering done")


class ParticipationRule(models.Model):
    """How many points one kind of participation is worth in a school.
    A school without a row uses DEFAULT_POINTS (home_school.services.participation)."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    kind = models.CharField(_("kind"), max_length=20, choices=ParticipationKind.choices)
    points = models.DecimalField(_("points"), **POINTS, help_text=_("0 records the deed without points."))

    class Meta:
        verbose_name = _("participation rule")
        verbose_name_plural = _("participation rules")
        ordering = ["school", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "kind"],
                name="participationrule_unique_kind",
                violation_error_message=_("The school has points for this kind of participation already."),
            ),
            models.CheckConstraint(
                condition=Q(points__gte=0, points__lte=100),
                name="participationrule_points_range",
                violation_error_message=_("Points are from 0 to 100."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ParticipationKind.values),
                name="participationrule_kind_known",
                violation_error_message=_("Choose a kind of participation from the list."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.points}"


class ParticipationEvent(models.Model):
    """One deed of one guardian, worth the rule's points at collection time.

    Rows are written only by home_school.services.participation
    .participation_collect and never deleted; the points never change. A
    correction voids the row (author and reason required)."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    guardian = models.ForeignKey(
        "students.Guardian", on_delete=models.PROTECT, related_name="participation_events", verbose_name=_("guardian")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ParticipationKind.choices)
    points = models.DecimalField(_("points"), **POINTS)
    # What the deed was about, e.g. `volunteer:<sign-up id>`; the unique
    # constraint makes participation_collect idempotent (bulk_create with
    # ignore_conflicts), also with two workers at once.
    source_key = models.CharField(_("source"), max_length=80, unique=True)
    note = models.CharField(_("what"), max_length=200, blank=True)
    occurred_on = models.DateField(_("date"))
    created_at = models.DateTimeField(_("collected at"), default=timezone.now, editable=False)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("voided by")
    )
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_reason = models.CharField(_("void reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("participation event")
        verbose_name_plural = _("participation events")
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ParticipationKind.values),
                name="participationevent_kind_known",
                violation_error_message=_("Choose a kind of participation from the list."),
            ),
            models.CheckConstraint(
                condition=Q(points__gte=0),
                name="participationevent_points_not_negative",
                violation_error_message=_("Points cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True) | (Q(voided_by__isnull=False) & ~Q(void_reason="")),
                name="participationevent_void_has_author_and_reason",
                violation_error_message=_("Voided points need who voided them and why."),
            ),
        ]
        indexes = [
            # The monthly recognition list and the guardian's own points.
            models.Index(fields=["guardian", "occurred_on"]),
            models.Index(fields=["school", "occurred_on"]),
        ]

    def __str__(self):
        return f"{self.guardian} {self.get_kind_display()} {self.points}"

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None
