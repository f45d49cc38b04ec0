from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DayField, Form, keyed_helper

from ..windows import plan_window

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActivityForm(Form):
    school_class = forms.TypedChoiceField(label=_("For"), coerce=int, choices=(), empty_value=0)
    title = forms.CharField(
        label=_("Title"), max_length=80, widget=forms.TextInput(attrs={"placeholder": _("e.g. volunteers for the sports day")})
    )
    date = DayField(label=_("Date"), widget=DATE)
    time_text = forms.CharField(label=_("Time"), max_length=40, required=False, widget=forms.TextInput(attrs={"placeholder": "08:00–11:30"}))
    place = forms.CharField(label=_("Location"), max_length=60, required=False)
    slots = forms.IntegerField(label=_("Volunteers needed"), min_value=1, max_value=500)
    description = forms.CharField(
        label=_("What volunteers do"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, classes, whole_school: bool, school, **kwargs):
        """`classes`: the classes the person runs; `whole_school`: the office
        may also post for every guardian of the school (value 0)."""
        super().__init__(*args, **kwargs)
        # Guardians are asked to help from today to the end of the school year.
        earliest, latest = plan_window(school)
        self.fields["date"].window(earliest, latest)
        choices = [(0, _("The whole school"))] if whole_school else []
        choices += [(c.pk, c.name) for c in classes]
        self.fields["school_class"].choices = choices
        self.helper = keyed_helper()
        self.helper.add_input(Submit("save", _("Post the activity")))


class DoneForm(Form):
    signups = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=True)

    def __init__(self, *args, signups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signups"].choices = [(s.pk, s.pk) for s in signups]
        self.fields["signups"].error_messages = {
            "required": _("Tick the volunteers who came."),
            "invalid_choice": _("Tick volunteers from the list."),
        }
