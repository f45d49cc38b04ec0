from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

mobile_validator = RegexValidator(r"^1[3-9]\d{9}$", _("Enter an 11-digit mainland mobile number, e.g. 13800138000."))


class User(AbstractUser):
    """A person who can log in: staff, guardian or student.

    Chinese names are one field (`full_name`); first/last name stay empty.
    A person logs in with the username or the mobile number
    (accounts.backends.UsernameOrMobileBackend).
    """

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    mobile = models.CharField(
        _("mobile number"), max_length=11, blank=True, null=True, unique=True, validators=[mobile_validator]
    )
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set for accounts created with a one-time initial password."),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    def get_short_name(self):
        return self.full_name or self.username


class Role(models.TextChoices):
    SCHOOL_ADMIN = "school_admin", _("school administrator")
    OFFICE = "office", _("moral-education office")
    HEAD_TEACHER = "head_teacher", _("head teacher")
    SUBJECT_TEACHER = "subject_teacher", _("subject teacher")
    COUNSELLOR = "counsellor", _("counsellor")
    RESEARCH_LEADER = "research_leader", _("research group leader")
    TEACHING_OFFICE = "teaching_office", _("teaching office")
    PRINCIPAL = "principal", _("principal")
    GUARDIAN = "guardian", _("guardian")
    STUDENT = "student", _("student")
    # 值周生: a student who enters class inspections during the duty week, and nothing else.
    DUTY_STUDENT = "duty_student", _("student on duty")


STAFF_ROLES = frozenset(
    {
        Role.SCHOOL_ADMIN,
        Role.OFFICE,
        Role.HEAD_TEACHER,
        Role.SUBJECT_TEACHER,
        Role.COUNSELLOR,
        Role.RESEARCH_LEADER,
        Role.TEACHING_OFFICE,
        Role.PRINCIPAL,
    }
)


class Membership(models.Model):
    """One role of one person in one school. A person holds as many rows as
    roles; roles are compared exactly (accounts.policies.roles_in)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey("classes.School", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            # accounts.services.membership_grant relies on this to be idempotent.
            models.UniqueConstraint(
                fields=["user", "school", "role"],
                name="membership_unique_role",
                violation_error_message=_("This person already has this role in this school."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.values),
                name="membership_role_known",
                violation_error_message=_("Choose a role from the list."),
            ),
        ]
        indexes = [models.Index(fields=["school", "role"])]

    def __str__(self):
        return f"{self.user} · {self.school} · {self.get_role_display()}"


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def delete(self):
        raise PermissionError("The audit log is append-only.")


class AuditEvent(models.Model):
    """Append-only record of who did what to which record.

    Written only by accounts.services.audit_record. Updates and deletes are
    refused here and, on PostgreSQL, by a trigger (migration 0003).
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("done by")
    )
    school = models.ForeignKey(
        "classes.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("school")
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    target_type = models.CharField(_("target type"), max_length=80, blank=True)
    target_id = models.CharField(_("target id"), max_length=40, blank=True)
    target_repr = models.CharField(_("target"), max_length=200, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["school", "-created_at"]), models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")
