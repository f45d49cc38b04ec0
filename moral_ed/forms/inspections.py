"""Forms of class inspections and vetoes. Each reads only its fields; the
services decide whether the values make sense together."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DayField, Form


def _term_window(field, term):
    """A day of the current term up to today (or up to today when the
    school has no current term: the service refuses then)."""
    today = timezone.localdate()
    return field.window(term.start_date if term else None, min(term.end_date, today) if term else today)


class InspectionDayForm(Form):
    """?day=YYYY-MM-DD of the grid: a real date, not in the future."""

    day = DayField(
        label=_("School day"),
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Give the day as YYYY-MM-DD.")},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_day(self):
        day = self.cleaned_data.get("day") or timezone.localdate()
        if day > timezone.localdate():
            raise forms.ValidationError(_("That day has not come yet."))
        return day


class InspectionRecordForm(Form):
    """One tap on the grid: the item (the button pressed), the day shown
    (a day of the current term, not to come), and the class card's
    optional note."""

    item = forms.ModelChoiceField(queryset=None, error_messages={"invalid_choice": _("Choose an item from the list."),
                                                                 "required": _("Choose an item from the list.")})
    day = DayField(input_formats=["%Y-%m-%d"], error_messages={"invalid": _("Give the day as YYYY-MM-DD."),
                                                               "required": _("Give the day as YYYY-MM-DD.")})
    note = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, items, term, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        _term_window(self.fields["day"], term)


class InspectionVoidForm(Form):
    reason = forms.CharField(
        label=_("Why is this entry wrong?"),
        max_length=200,
        error_messages={"required": _("Say why the entry is voided.")},
        widget=forms.TextInput(attrs={"placeholder": _("e.g. wrong class")}),
    )


class HistoryPeriodForm(Form):
    """A class's inspection page: a week or a month around `day`; a day
    outside 2000–2099 (or not a day) falls back to today."""

    PERIODS = (("week", _("Week")), ("month", _("Month")))

    period = forms.ChoiceField(choices=PERIODS, required=False)
    day = DayField(required=False, input_formats=["%Y-%m-%d"])

    def cleaned_or_default(self):
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("period") or "week", data.get("day") or timezone.localdate()


class VetoForm(Form):
    school_class = forms.TypedChoiceField(label=_("Class"), coerce=int, choices=())
    occurred_on = DayField(
        label=_("Date of the incident"),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Give the date of the incident."), "invalid": _("Give the day as YYYY-MM-DD.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say what happened: the reason is required.")},
        help_text=_("Shown with the class on the published ranking: describe the incident, do not name students."),
    )

    def __init__(self, *args, classes, term, **kwargs):
        """`term`: the current term; the incident lies in it, not to come."""
        super().__init__(*args, **kwargs)
        self.fields["school_class"].choices = [("", "—")] + [(c.pk, c.name) for c in classes]
        self.fields["school_class"].error_messages["required"] = _("Choose the class.")
        self.fields["school_class"].error_messages["invalid_choice"] = _("Choose the class.")
        self.fields["occurred_on"].initial = timezone.localdate()
        _term_window(self.fields["occurred_on"], term)


class VetoVoidForm(InspectionVoidForm):
    reason = forms.CharField(
        label=_("Why is the veto withdrawn?"),
        max_length=200,
        error_messages={"required": _("Say why the veto is withdrawn.")},
    )


class RankingWeekForm(Form):
    week = DayField(required=False, input_formats=["%Y-%m-%d"])

