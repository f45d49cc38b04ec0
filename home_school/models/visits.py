"""Home visits (家访) and home-visit supervisors (家访督导员).

A teacher plans a visit to a student's family (at home, by phone or by
video), then records it. The teacher's notes (family situation, what was
discussed, follow-up) are staff-only: the guardian's portal and every
notification show the date, the method and the teacher, never the notes.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.text import BODY_MAX


class VisitMethod(models.TextChoices):
    VISIT = "visit", _("home visit")
    PHONE = "phone", _("phone call")
    VIDEO = "video", _("video call")


class HomeVisit(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    term = models.ForeignKey("classes.Term", on_delete=models.PROTECT, related_name="+", verbose_name=_("term"))
    student = models.ForeignKey(
        "students.Student", on_delete=models.PROTECT, related_name="home_visits", verbose_name=_("student")
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="home_visits", verbose_name=_("teacher")
    )
    planned_on = models.DateField(_("planned date"))
    method = models.CharField(_("method"), max_length=10, choices=VisitMethod.choices, default=VisitMethod.VISIT)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    done_on = models.DateField(_("date done"), null=True, blank=True)
    # The teacher's notes: staff pages only (never the portal, never a notification).
    family_situation = models.TextField(_("family situation"), max_length=BODY_MAX, blank=True)
    discussed = models.TextField(_("what was discussed"), max_length=BODY_MAX, blank=True)
    follow_up = models.TextField(_("follow-up"), max_length=BODY_MAX, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("planned by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")
        ordering = ["-planned_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(method__in=["visit", "phone", "video"]),
                name="homevisit_method_known",
                violation_error_message=_("Choose a method from the list."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "done", "cancelled"]),
                name="homevisit_status_known",
                violation_error_message=_("Choose a status from the list."),
            ),
            # The office's counts read "done" from the status; a done visit has its date, others none.
            models.CheckConstraint(
                condition=Q(status="done", done_on__isnull=False) | (~Q(status="done") & Q(done_on__isnull=True)),
                name="homevisit_done_has_date",
                violation_error_message=_("A visit that is done has the date it was done; other visits have none."),
            ),
        ]
        indexes = [
            # selectors.visits.visit_counts_by_teacher groups a term's visits by teacher.
            models.Index(fields=["school", "term", "teacher"]),
            models.Index(fields=["student", "status"]),
        ]

    def __str__(self):
        return f"{self.student} · {self.planned_on:%Y-%m-%d} · {self.get_method_display()}"

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE


class VisitSupervision(models.Model):
    """A home-visit supervisor (家访督导员) for one teacher in one term:
    the office names a staff member to follow a set of teachers' visits."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    term = models.ForeignKey("classes.Term", on_delete=models.CASCADE, related_name="+", verbose_name=_("term"))
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("supervisor")
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("teacher")
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assigned by")
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)

    class Meta:
        verbose_name = _("home-visit supervisor")
        verbose_name_plural = _("home-visit supervisors")
        ordering = ["term", "supervisor", "teacher"]
        constraints = [
            # One supervisor per teacher and term: services.visits.supervisor_assign updates this row.
            models.UniqueConstraint(
                fields=["term", "teacher"],
                name="visitsupervision_one_per_teacher",
                violation_error_message=_("This teacher has a home-visit supervisor for this term already."),
            ),
            models.CheckConstraint(
                condition=~Q(supervisor=F("teacher")),
                name="visitsupervision_not_self",
                violation_error_message=_("A supervisor does not supervise their own visits."),
            ),
        ]
        indexes = [models.Index(fields=["term", "supervisor"])]

    def __str__(self):
        return f"{self.supervisor} → {self.teacher}"
