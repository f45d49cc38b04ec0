"""Forms of the parent-meeting pages (staff and portal). Validation only:
the services write."""

from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DayField, Form, IdField, MomentField, RowField, keyed_helper
from core.text import BODY_MAX, MINUTES_MAX, NOTE_MAX

from ..models import MeetingReply
from ..windows import plan_window


class MeetingForm(Form):
    """Schedule a meeting. Head teachers choose among their classes; the
    office also sees the grades. Which choices a person gets is the view's
    (policies.meetings.schedulable_classes / schedulable_grades); `grades`
    is None for a person who may not schedule grade meetings."""

    CLASS, GRADE = "class", "grade"

    audience = forms.ChoiceField(
        label=_("For"), choices=[(CLASS, _("one class")), (GRADE, _("a whole grade"))], initial=CLASS, widget=forms.RadioSelect
    )
    school_class = RowField(label=_("Class"), queryset=None, required=False)
    grade = RowField(label=_("Grade"), queryset=None, required=False)
    title = forms.CharField(label=_("Title"), max_length=100, widget=forms.TextInput(attrs={"placeholder": _("e.g. Mid-term parent meeting")}))
    starts_at = MomentField(label=_("Date and time"))
    place = forms.CharField(label=_("Place"), max_length=100, required=False, widget=forms.TextInput(attrs={"placeholder": _("e.g. Classroom of 六(1)班")}))
    online_link = forms.URLField(label=_("Online meeting link"), required=False, assume_scheme="https")
    description = forms.CharField(label=_("Description"), max_length=BODY_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    topics_close_at = MomentField(
        label=_("Topic proposals close at"),
        required=False,
        help_text=_("Guardians propose topics from the portal until then. Left blank: one day before the meeting."),
    )

    def __init__(self, *args, classes, grades, school, **kwargs):
        super().__init__(*args, **kwargs)
        # A meeting is planned from now to the end of the school year (families are told at once).
        earliest, latest = plan_window(school)
        self.fields["starts_at"].window(earliest, latest)
        self.fields["topics_close_at"].window(earliest, latest)
        self.fields["school_class"].queryset = classes
        if grades is None:
            # A head teacher schedules for their own class only.
            del self.fields["audience"]
            del self.fields["grade"]
            self.fields["school_class"].required = True
        else:
            self.fields["grade"].queryset = grades
        self.helper = keyed_helper()
        self.helper.add_input(Submit("save", _("Schedule the meeting")))

    def clean(self):
        data = super().clean()
        audience = data.get("audience", self.CLASS)
        if audience == self.CLASS:
            if not data.get("school_class"):
                self.add_error("school_class", _("Choose the class."))
            data["grade"] = None
        else:
            if not data.get("grade"):
                self.add_error("grade", _("Choose the grade."))
            data["school_class"] = None
        if not data.get("place") and not data.get("online_link"):
            self.add_error("place", _("Give a place or an online meeting link."))
        starts_at = data.get("starts_at")
        if starts_at and starts_at <= timezone.now():
            self.add_error("starts_at", _("Choose a time still to come."))
        close = data.get("topics_close_at")
        if starts_at and close and close > starts_at:
            self.add_error("topics_close_at", _("Topic proposals must close before the meeting starts."))
        return data


class AgendaItemForm(Form):
    title = forms.CharField(label=_("Agenda item"), max_length=200)


class ProposalDecisionForm(Form):
    ACCEPT, DECLINE = "accept", "decline"

    decision = forms.ChoiceField(choices=[(ACCEPT, _("Put on the agenda")), (DECLINE, _("Not this time"))])
    title = forms.CharField(label=_("Wording on the agenda"), max_length=200, required=False)


class AttendanceMarkForm(Form):
    student = IdField()
    present = forms.BooleanField(required=False)


class MinutesForm(Form):
    minutes = forms.CharField(
        label=_("Minutes"), max_length=MINUTES_MAX, required=False, widget=forms.Textarea(attrs={"rows": 8, "class": "form-control"})
    )


class FollowUpForm(Form):
    text = forms.CharField(label=_("Action"), max_length=300)
    owner = RowField(label=_("Owner"), queryset=None)
    due_on = DayField(label=_("Due"))

    def __init__(self, *args, owners, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        # Something agreed at the meeting is due from today to the end of the school year.
        self.fields["due_on"].window(*plan_window(school))


class FollowUpDoneForm(Form):
    done = forms.BooleanField(required=False)


# --- The portal --------------------------------------------------------------------


class ReplyForm(Form):
    student = forms.TypedChoiceField(coerce=int, choices=(), error_messages={"invalid_choice": _("Choose your child.")})
    answer = forms.ChoiceField(choices=MeetingReply.Answer.choices, error_messages={"required": _("Choose whether you will attend.")})

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].choices = [(c.pk, c.name) for c in children]


class ProposalForm(Form):
    student = forms.TypedChoiceField(label=_("For"), coerce=int, choices=(), error_messages={"invalid_choice": _("Choose your child.")})
    topic = forms.CharField(label=_("Topic"), max_length=200, widget=forms.TextInput(attrs={"placeholder": _("e.g. How much homework is enough?")}))
    details = forms.CharField(
        label=_("Details (only the school sees these)"), max_length=NOTE_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    anonymous = forms.BooleanField(
        label=_("Credit me anonymously"),
        required=False,
        help_text=_("Other parents then see “a parent” instead of your child's name."),
    )

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].choices = [(c.pk, c.name) for c in children]
        if len(self.fields["student"].choices) == 1:
            self.fields["student"].widget = forms.HiddenInput()
            self.fields["student"].initial = self.fields["student"].choices[0][0]
        self.helper = keyed_helper()
        self.helper.add_input(Submit("propose", _("Propose the topic")))
