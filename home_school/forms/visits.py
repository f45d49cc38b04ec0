"""Forms of the home-visit pages. Validation only: the services write."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import VisitMethod


class VisitPlanForm(forms.Form):
    """Which students and teachers a person may choose is the view's
    (policies.visits.plannable_students / plannable_teachers)."""

    student = forms.ModelChoiceField(label=_("Student"), queryset=None)
    teacher = forms.ModelChoiceField(label=_("Teacher"), queryset=None)
    planned_on = forms.DateField(label=_("Planned date"), widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(label=_("Method"), choices=VisitMethod.choices, initial=VisitMethod.VISIT, widget=forms.RadioSelect)

    def __init__(self, *args, students, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = students
        self.fields["student"].label_from_instance = lambda s: f"{s.name} · {s.student_number}"
        self.fields["teacher"].queryset = teachers
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Plan the visit")))


class VisitRecordForm(forms.Form):
    done_on = forms.DateField(label=_("Date done"), widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(label=_("Method"), choices=VisitMethod.choices, widget=forms.RadioSelect)
    family_situation = forms.CharField(label=_("Family situation"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    discussed = forms.CharField(label=_("What was discussed"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    follow_up = forms.CharField(label=_("Follow-up"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save the record")))

    def clean_done_on(self):
        day = self.cleaned_data["done_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A visit is recorded once it has taken place."))
        return day


class SupervisorForm(forms.Form):
    supervisor = forms.ModelChoiceField(label=_("Supervisor"), queryset=None)
    teachers = forms.ModelMultipleChoiceField(
        label=_("Teachers"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A teacher who had another supervisor this term moves to this one."),
    )

    def __init__(self, *args, staff, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = staff
        self.fields["teachers"].queryset = teachers
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Assign")))

    def clean(self):
        data = super().clean()
        supervisor, teachers = data.get("supervisor"), data.get("teachers")
        if supervisor and teachers and supervisor in teachers:
            self.add_error("teachers", _("A supervisor does not supervise their own visits."))
        return data


class VisitFilterForm(forms.Form):
    teacher = forms.TypedChoiceField(label=_("Teacher"), coerce=int, choices=(), required=False, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=())

    def __init__(self, *args, teachers, **kwargs):
        from ..models import HomeVisit

        super().__init__(*args, **kwargs)
        self.fields["teacher"].choices = [("", _("All teachers"))] + [(t.pk, t.get_full_name()) for t in teachers]
        self.fields["status"].choices = [("", _("Any status"))] + list(HomeVisit.Status.choices)
