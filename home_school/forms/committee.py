"""Forms of the parent committee part. They validate what was typed;
the services check the rules across rows."""

import datetime

from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DayField, Form, IdField, keyed_helper
from core.text import MINUTES_MAX

from ..models import CommitteeRole
from ..windows import record_window, school_year_bounds

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# A member's term may run on into the next school year, not further.
TERM_HORIZON = datetime.timedelta(days=366)


def _term_window(school):
    """Where a committee term starts and ends: from the first day of the
    school year to the end of the next one."""
    start, end = school_year_bounds(school)
    return start, end + TERM_HORIZON


class CommitteeSetUpForm(Form):
    """Which committee to set up: a class's (id) or the school's (empty)."""

    school_class = IdField(required=False)


class MemberAddForm(Form):
    """A class committee picks from the class's guardians; the school
    committee finds a guardian by mobile number (the school has too many
    guardians for a list)."""

    guardian = forms.TypedChoiceField(label=_("Guardian"), coerce=int, choices=(), required=False)
    mobile = forms.RegexField(
        label=_("Guardian's mobile number"),
        regex=r"^1[3-9]\d{9}$",
        required=False,
        error_messages={"invalid": _("Enter an 11-digit mainland mobile number, e.g. 13800138000.")},
    )
    role = forms.ChoiceField(label=_("Role"), choices=CommitteeRole.choices, initial=CommitteeRole.MEMBER)
    start_date = DayField(label=_("From"), widget=DATE)
    end_date = DayField(label=_("Until"), required=False, widget=DATE, help_text=_("Leave empty while the term runs on."))

    def __init__(self, *args, school, candidates=None, **kwargs):
        """`candidates`: the class's guardians (None for the school committee)."""
        kwargs.setdefault("initial", {}).setdefault("start_date", timezone.localdate())
        super().__init__(*args, **kwargs)
        earliest, latest = _term_window(school)
        self.fields["start_date"].window(earliest, latest)
        self.fields["end_date"].window(earliest, latest)
        self.by_class = candidates is not None
        if self.by_class:
            self.fields["guardian"].required = True
            self.fields["guardian"].choices = [("", "—")] + [
                (g.pk, f"{g.name}（{'、'.join(getattr(g, 'children', []))}）") for g in candidates
            ]
            del self.fields["mobile"]
        else:
            self.fields["mobile"].required = True
            del self.fields["guardian"]
        self.helper = keyed_helper()
        self.helper.add_input(Submit("add", _("Add member")))

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("The term cannot end before it starts."))
        return data


class MemberEndForm(Form):
    end_date = DayField(label=_("Term ends on"), widget=DATE)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_date"].window(*_term_window(school))


class MeetingForm(Form):
    held_on = DayField(label=_("Date"), widget=DATE)
    title = forms.CharField(label=_("Topic"), max_length=100)
    place = forms.CharField(label=_("Location"), max_length=60, required=False)
    attendees = forms.TypedMultipleChoiceField(
        label=_("Present"), coerce=int, choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )
    minutes = forms.CharField(label=_("Minutes"), max_length=MINUTES_MAX, required=False, widget=forms.Textarea(attrs={"rows": 12}))

    def __init__(self, *args, members, school, held_on=None, **kwargs):
        """`members`: the committee's members (all terms); the service
        refuses those not sitting on the meeting's date. `held_on`: the
        date of the meeting being changed (kept even from an earlier year)."""
        kwargs.setdefault("initial", {}).setdefault("held_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        # A meeting is recorded once it was held: in the school year, not after today.
        earliest, latest = record_window(school)
        self.fields["held_on"].window(min(earliest, held_on or earliest), latest)
        self.fields["attendees"].choices = [(m.pk, f"{m.guardian.name} · {m.get_role_display()}") for m in members]
        self.helper = keyed_helper()
        self.helper.add_input(Submit("save", _("Save meeting")))
