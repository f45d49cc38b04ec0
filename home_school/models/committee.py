"""Parent committees (家委会 / 家校合作委员会): one per class and one per
school, their members (guardians, with a role and a term) and their
meetings with minutes.

A member's term is `start_date`..`end_date` (inclusive; no end: still
sitting). Ending a term sets `end_date`; rows are kept as the committee's
history. Guardians see names and roles only (home_school.selectors.committee).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.text import MINUTES_MAX


class CommitteeLevel(models.TextChoices):
    CLASS = "class", _("class committee")
    SCHOOL = "school", _("school committee")


class CommitteeRole(models.TextChoices):
    CHAIR = "chair", _("chair")  # 主任
    VICE_CHAIR = "vice_chair", _("vice chair")  # 副主任
    SECRETARY = "secretary", _("secretary")  # 秘书
    MEMBER = "member", _("member")  # 委员


# The order members are listed in (home_school.selectors.committee.members_of).
ROLE_ORDER = [CommitteeRole.CHAIR, CommitteeRole.VICE_CHAIR, CommitteeRole.SECRETARY, CommitteeRole.MEMBER]


class Committee(models.Model):
    """A class's parent committee (家委会), or the school's home-school
    committee (家校合作委员会) when `school_class` is empty."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    level = models.CharField(pgettext_lazy("committee", "level"), max_length=10, choices=CommitteeLevel.choices)
    school_class = models.ForeignKey(
        "classes.SchoolClass",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committees",
        verbose_name=_("class"),
    )
    name = models.CharField(_("name"), max_length=60, blank=True, help_text=_("Left blank: 六(2)班家委会 / 家校合作委员会"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("set up by")
    )
    created_at = models.DateTimeField(_("set up at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("parent committee")
        verbose_name_plural = _("parent committees")
        ordering = ["school", "level", "school_class"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=["class", "school"]),
                name="committee_level_known",
                violation_error_message=_("Choose a committee level from the list."),
            ),
            models.CheckConstraint(
                condition=(Q(level="class") & Q(school_class__isnull=False)) | (Q(level="school") & Q(school_class__isnull=True)),
                name="committee_class_iff_class_level",
                violation_error_message=_("A class committee names its class; the school committee names none."),
            ),
            # home_school.services.committee.committee_set_up relies on these
            # two to be idempotent: one committee per class, one per school.
            models.UniqueConstraint(
                fields=["school_class"], condition=Q(level="class"),
                name="committee_one_per_class",
                violation_error_message=_("This class has a parent committee already."),
            ),
            models.UniqueConstraint(
                fields=["school"], condition=Q(level="school"),
                name="committee_one_per_school",
                violation_error_message=_("The school has a home-school committee already."),
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def is_school_level(self) -> bool:
        return self.level == CommitteeLevel.SCHOOL

    @property
    def display_name(self) -> str:
        """六(1)班家委会 / 家校合作委员会 in the active language, unless the
        school named it (select_related school_class first)."""
        if self.name:
            return self.name
        if self.is_school_level:
            return gettext("Home-school committee")
        return gettext("%(class)s parent committee") % {"class": self.school_class.name}

    def clean(self):
        if self.school_class_id and self.school_id and self.school_class.school_id != self.school_id:
            raise ValidationError({"school_class": _("The class belongs to another school.")})


class CommitteeMember(models.Model):
    """A guardian on a committee in a role, for a term."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members", verbose_name=_("committee"))
    guardian = models.ForeignKey(
        "students.Guardian", on_delete=models.PROTECT, related_name="committee_memberships", verbose_name=_("guardian")
    )
    role = models.CharField(_("role"), max_length=12, choices=CommitteeRole.choices, default=CommitteeRole.MEMBER)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True, help_text=_("Leave empty while the term runs on."))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("added by"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["committee", "start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in ROLE_ORDER]),
                name="committeemember_role_known",
                violation_error_message=_("Choose a role from the list."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="committeemember_dates_ordered",
                violation_error_message=_("The term cannot end before it starts."),
            ),
            # Backstops of home_school.services.committee.committee_member_add,
            # which also refuses overlapping terms that have an end date.
            models.UniqueConstraint(
                fields=["committee", "guardian"], condition=Q(end_date__isnull=True), name="committeemember_one_open_term",
                violation_error_message=_("This guardian is on the committee already, in a term that has not ended."),
            ),
            models.UniqueConstraint(
                fields=["committee"], condition=Q(end_date__isnull=True, role="chair"), name="committeemember_one_open_chair",
                violation_error_message=_("The committee has a chair for these dates; end that term first."),
            ),
        ]

    def __str__(self):
        return f"{self.guardian} · {self.get_role_display()}"

    def is_current_on(self, day) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class CommitteeMeeting(models.Model):
    """A meeting of a committee and its minutes (staff pages only)."""

    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("committee"))
    held_on = models.DateField(_("date"))
    title = models.CharField(_("topic"), max_length=100)
    place = models.CharField(_("place"), max_length=60, blank=True)
    minutes = models.TextField(_("minutes"), max_length=MINUTES_MAX, blank=True)
    attendees = models.ManyToManyField(CommitteeMember, blank=True, related_name="meetings", verbose_name=_("present"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)

    class Meta:
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["committee", "-held_on"])]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.title}"
