"""Participation points of guardians (家校共育奖励): an append-only ledger
filled from facts the system already knows (a parent meeting attended, a
notice confirmed in time, volunteering done) and a per-school table of
how much each kind is worth.

Points are shown to staff (the monthly recognition list) and to the
guardian themself; never to other families.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ledger import Voidable, void_constraint

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


class ParticipationEvent(Voidable):
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
            void_constraint("participationevent", _("Voided points need who voided them and why.")),
        ]
        indexes = [
            # The monthly recognition list and the guardian's own points.
            models.Index(fields=["guardian", "occurred_on"]),
            models.Index(fields=["school", "occurred_on"]),
        ]

    def __str__(self):
        return f"{self.guardian} {self.get_kind_display()} {self.points}"
