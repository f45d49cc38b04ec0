"""Activities that need parent volunteers (运动会志愿者, 图书角整理 …) and
guardians' sign-ups. A class activity is for the guardians of the class;
an activity without a class is for every guardian of the school."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class VolunteerActivity(models.Model):
    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    school_class = models.ForeignKey(
        "classes.SchoolClass",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteer_activities",
        verbose_name=_("class"),
        help_text=_("Empty: open to the guardians of the whole school."),
    )
    title = models.CharField(_("title"), max_length=80)
    description = models.TextField(_("what volunteers do"), max_length=2000, blank=True)
    date = models.DateField(_("date"))
    time_text = models.CharField(_("time"), max_length=40, blank=True, help_text=_("e.g. 08:00–11:30"))
    place = models.CharField(_("place"), max_length=60, blank=True)
    slots = models.PositiveSmallIntegerField(
        _("volunteers needed"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("organiser")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("volunteer activity")
        verbose_name_plural = _("volunteer activities")
        ordering = ["-date", "-pk"]
        constraints = [
            # home_school.services.volunteering.volunteer_sign_up counts
            # sign-ups against this under a row lock.
            models.CheckConstraint(
                condition=Q(slots__gte=1, slots__lte=500),
                name="volunteeractivity_slots_range",
                violation_error_message=_("Ask for 1 to 500 volunteers."),
            ),
        ]
        indexes = [models.Index(fields=["school", "date"])]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def clean(self):
        if self.school_class_id and self.school_id and self.school_class.school_id != self.school_id:
            raise ValidationError({"school_class": _("The class belongs to another school.")})


class VolunteerSignup(models.Model):
    """One guardian signed up for one activity; `done_at` once the
    organiser confirms they actually volunteered (never unset from the
    pages: the participation ledger reads it)."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    activity = models.ForeignKey(VolunteerActivity, on_delete=models.PROTECT, related_name="signups", verbose_name=_("activity"))
    guardian = models.ForeignKey(
        "students.Guardian", on_delete=models.PROTECT, related_name="volunteer_signups", verbose_name=_("guardian")
    )
    created_at = models.DateTimeField(_("signed up at"), default=timezone.now, editable=False)
    done_at = models.DateTimeField(_("volunteered (confirmed at)"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("confirmed by")
    )

    class Meta:
        verbose_name = _("volunteer sign-up")
        verbose_name_plural = _("volunteer sign-ups")
        ordering = ["activity", "created_at", "pk"]
        constraints = [
            # One sign-up per guardian and activity (volunteer_sign_up relies on it).
            models.UniqueConstraint(
                fields=["activity", "guardian"],
                name="volunteersignup_once_per_guardian",
                violation_error_message=_("This guardian is signed up for the activity already."),
            ),
            models.CheckConstraint(
                condition=Q(done_at__isnull=True) | Q(done_by__isnull=False), name="volunteersignup_done_has_author",
                violation_error_message=_("A confirmed volunteer has the person who confirmed it."),
            ),
        ]
        indexes = [
            # home_school.participation collectors read done sign-ups.
            models.Index(fields=["school", "done_at"]),
        ]

    def __str__(self):
        return f"{self.guardian} · {self.activity}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
