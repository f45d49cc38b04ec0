"""Forms of the dorm pages. Ids posted here are only shapes: whether a bed,
a room, a student or an entry belongs to the building is the view's check
(it looks them up within the building and the school), whether a student
sleeps in the room is the service's."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DayField, Form, IdField

from ..models import CaseStatus

_CHOOSE_ITEM = _("Choose an item from the list.")


class DayForm(Form):
    """The inspection page's ?day=: today by default, never in the future;
    a day the page cannot show is refused with a message and today shown."""

    day = DayField(label=_("Day"), required=False)

    def clean_day(self):
        day = self.cleaned_data.get("day") or timezone.localdate()
        if day > timezone.localdate():
            raise forms.ValidationError(_("The inspection of a day that has not come yet cannot be opened."))
        return day

    def day_or_today(self) -> datetime.date:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["day"]
        return timezone.localdate()


class StudentSearchForm(Form):
    q = forms.CharField(label=_("Student number or name"), max_length=50, required=False)


class BedAssignForm(Form):
    """A bed of the building and a student: by id (the search results) or
    by student number (the form under a free bed)."""

    bed = IdField(error_messages=dict.fromkeys(("required", "invalid", "min_value", "max_value"), _("Choose a bed.")))
    student = IdField(required=False, error_messages=dict.fromkeys(("invalid", "min_value", "max_value"), _("Choose a student from the search.")))
    student_number = forms.CharField(label=_("Student number"), max_length=20, required=False)

    def clean(self):
        data = super().clean()
        data["student_number"] = (data.get("student_number") or "").strip()
        if not data.get("student") and not data["student_number"]:
            raise forms.ValidationError(_("Enter the student's number or choose a student from the search."))
        return data


class BedReleaseForm(Form):
    assignment = IdField()


class DormEventForm(Form):
    """One inspection entry: a room, an item, for a student item the
    student, an optional note, and the day of the inspection page (a day
    of the current term, not to come; empty: today)."""

    room = IdField(error_messages=dict.fromkeys(("required", "invalid", "min_value", "max_value"), _("Choose a room of this building.")))
    item = IdField(error_messages=dict.fromkeys(("required", "invalid", "min_value", "max_value"), _CHOOSE_ITEM))
    student = IdField(required=False, error_messages=dict.fromkeys(("invalid", "min_value", "max_value"), _("Choose a student who sleeps in this room.")))
    note = forms.CharField(label=_("Note (optional)"), max_length=200, required=False)
    day = DayField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, term, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["day"].window(term.start_date if term else None, min(term.end_date, today) if term else today)


class DormVoidForm(Form):
    reason = forms.CharField(
        label=_("Why is this entry wrong?"),
        max_length=200,
        error_messages={"required": _("Say why the entry is voided.")},
    )


class CaseDecisionForm(Form):
    CONFIRM, DISMISS = "confirm", "dismiss"

    decision = forms.ChoiceField(
        choices=[(CONFIRM, _("Confirm the measure")), (DISMISS, _("Dismiss the case"))],
        error_messages={"required": _("Choose a decision."), "invalid_choice": _("Choose a decision.")},
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.DISMISS and not (data.get("note") or "").strip():
            self.add_error("note", _("Say why the case is dismissed."))
        return data


class CaseFilterForm(Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=())
    level = forms.TypedChoiceField(label=_("Step"), required=False, coerce=int, empty_value=None, choices=())
    school_class = forms.TypedChoiceField(label=_("Class"), required=False, coerce=int, empty_value=None, choices=())
    q = forms.CharField(label=_("Student"), max_length=50, required=False)

    def __init__(self, *args, steps, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All"))] + list(CaseStatus.choices)
        self.fields["level"].choices = [("", _("All steps"))] + [(s.level, f"{s.level}. {s.name}") for s in steps]
        self.fields["school_class"].choices = [("", _("All classes"))] + [(c.pk, c.name) for c in classes]
