"""Forms of the home-visit pages. Validation only: the services write."""

from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DayField, Form, RowField, RowsField, keyed_helper
from core.text import BODY_MAX

from ..models import VisitMethod
from ..windows import record_window, term_plan_window


class VisitPlanForm(Form):
    """Which students and teachers a person may choose is the view's
    (policies.visits.plannable_students / plannable_teachers)."""

    student = RowField(label=_("Student"), queryset=None)
    teacher = RowField(label=_("Teacher"), queryset=None)
    planned_on = DayField(label=_("Planned date"))
    method = forms.ChoiceField(label=_("Method"), choices=VisitMethod.choices, initial=VisitMethod.VISIT, widget=forms.RadioSelect)

    def __init__(self, *args, students, teachers, term, **kwargs):
        super().__init__(*args, **kwargs)
        # The family is told of a plan at once: from today to the end of the term.
        self.fields["planned_on"].window(*term_plan_window(term))
        self.fields["student"].queryset = students
        self.fields["student"].label_from_instance = lambda s: f"{s.name} · {s.student_number}"
        self.fields["teacher"].queryset = teachers
        self.helper = keyed_helper()
        self.helper.add_input(Submit("save", _("Plan the visit")))


class VisitRecordForm(Form):
    done_on = DayField(label=_("Date done"))
    method = forms.ChoiceField(label=_("Method"), choices=VisitMethod.choices, widget=forms.RadioSelect)
    family_situation = forms.CharField(label=_("Family situation"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 4}))
    discussed = forms.CharField(label=_("What was discussed"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 4}))
    follow_up = forms.CharField(label=_("Follow-up"), max_length=BODY_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, school, planned_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Done inside the school year (or since the visit was planned), not after today.
        earliest, today = record_window(school)
        self.fields["done_on"].window(min(earliest, planned_on or earliest), today)
        self.helper = keyed_helper()
        self.helper.add_input(Submit("save", _("Save the record")))


class SupervisorForm(Form):
    supervisor = RowField(label=_("Supervisor"), queryset=None)
    teachers = RowsField(
        label=_("Teachers"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A teacher who had another supervisor this term moves to this one."),
    )

    def __init__(self, *args, staff, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = staff
        self.fields["teachers"].queryset = teachers
        self.helper = keyed_helper()
        self.helper.add_input(Submit("save", _("Assign")))

    def clean(self):
        data = super().clean()
        supervisor, teachers = data.get("supervisor"), data.get("teachers")
        if supervisor and teachers and supervisor in teachers:
            self.add_error("teachers", _("A supervisor does not supervise their own visits."))
        return data


class VisitFilterForm(Form):
    teacher = forms.TypedChoiceField(label=_("Teacher"), coerce=int, choices=(), required=False, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=())

    def __init__(self, *args, teachers, **kwargs):
        from ..models import HomeVisit

        super().__init__(*args, **kwargs)
        self.fields["teacher"].choices = [("", _("All teachers"))] + [(t.pk, t.get_full_name()) for t in teachers]
        self.fields["status"].choices = [("", _("Any status"))] + list(HomeVisit.Status.choices)
