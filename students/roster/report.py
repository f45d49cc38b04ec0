"""The import report and the one-time credentials as people read them."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exports import Sheet

from .problems import problem_message
from .writing import GUARDIAN

COUNT_LABELS = {
    "students_created": gettext_lazy("students created"),
    "students_updated": gettext_lazy("students updated"),
    "students_unchanged": gettext_lazy("students unchanged"),
    "class_moves": gettext_lazy("class changes"),
    "guardians_created": gettext_lazy("guardians created"),
    "accounts_created": gettext_lazy("accounts created"),
    "guardian_links_removed": gettext_lazy("guardians no longer linked"),
    "teachers_created": gettext_lazy("teachers created"),
    "teachers_updated": gettext_lazy("teachers updated"),
    "teachers_unchanged": gettext_lazy("teachers unchanged"),
    "assignments_created": gettext_lazy("teaching assignments created"),
    "assignments_updated": gettext_lazy("teaching assignments updated"),
    "assignments_unchanged": gettext_lazy("teaching assignments unchanged"),
}


def error_rows(report: dict) -> list[dict]:
    """Each problem with its sentence, for the error table."""
    return [{**problem, "message": problem_message(problem)} for problem in report.get("errors", [])]


def count_rows(report: dict) -> list[tuple[str, int]]:
    return [(str(COUNT_LABELS.get(key, key)), value) for key, value in report.get("counts", {}).items()]


def summary(report: dict) -> str:
    """“0 created, 0 updated, 120 unchanged” for students or teachers."""
    counts = report.get("counts", {})
    who = "students" if "students_created" in counts else "teachers"
    return _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
        "created": counts.get(f"{who}_created", 0),
        "updated": counts.get(f"{who}_updated", 0),
        "unchanged": counts.get(f"{who}_unchanged", 0),
    }


def credentials_table(credentials: list[dict]) -> Sheet:
    """Header and rows of the one-time password sheet handed to head teachers."""
    header = [_("Login name"), _("Name"), _("Role"), _("Mobile"), _("Students"), _("Classes"), _("One-time password")]
    rows = [
        [
            c["username"],
            c["name"],
            _("guardian") if c["role"] == GUARDIAN else _("teacher"),
            c["mobile"],
            "、".join(c["students"]),
            "、".join(dict.fromkeys(c["classes"])),
            c["password"],
        ]
        for c in credentials
    ]
    return Sheet(header, rows)
