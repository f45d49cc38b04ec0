"""Writes with a rule for the school's structure."""

from django.utils.translation import gettext as _

from accounts.services import audit_record
from core.exports import Sheet
from students.selectors import roster_for_class


def roster_export(*, actor, school, school_class) -> Sheet:
    """The class roster with guardians' contacts, one row per guardian, and
    an audit row saying who took it. The caller checked
    classes.policies.can_export_roster."""
    rows = []
    for student in roster_for_class(school_class):
        base = [student.student_number, student.name, student.get_gender_display(), student.birth_date]
        links = list(student.guardianships.all())
        if not links:
            rows.append(base + ["", "", ""])
        for link in links:
            rows.append(base + [link.guardian.name, link.get_relationship_display(), link.guardian.mobile])
    audit_record(actor=actor, school=school, action="classes.roster.exported", target=school_class, data={"rows": len(rows)})
    header = [_("Student number"), _("Name"), _("Gender"), _("Date of birth"), _("Guardian"), _("Relationship"), _("Mobile")]
    return Sheet(header, rows)
