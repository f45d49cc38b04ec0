from crispy_forms.layout import Div, Field, Fieldset, Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import Form, MomentField, RowField, RowsField, keyed_helper
from core.text import BODY_MAX

from ..models.notices import (
    CHOICE_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    MAX_CHOICES,
    MAX_REMIND_AFTER_HOURS,
    MIN_CHOICES,
    NoticeScope,
    ReceiptType,
)
from ..windows import plan_window

# One line per choice: room for the longest choices and their line breaks.
CHOICES_TEXT_MAX = MAX_CHOICES * (CHOICE_MAX_LENGTH + 2)


class ClassChoiceField(RowsField):
    def label_from_instance(self, obj):
        return obj.name


class NoticeForm(Form):
    """A new notice. Only the author's addressable classes (and, for the
    office, grades) are choices: a posted class id outside them is an
    invalid choice. The service checks the same again."""

    NOW, SCHEDULE, DRAFT = "now", "schedule", "draft"
    SEND_MODES = [(NOW, _("Send now")), (SCHEDULE, _("Send at a set time")), (DRAFT, _("Save as a draft"))]

    title = forms.CharField(label=_("Title"), max_length=100)
    body = forms.CharField(label=_("Text"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 8}))
    scope = forms.ChoiceField(label=_("Addressed to"), choices=NoticeScope.choices, widget=forms.RadioSelect)
    classes = ClassChoiceField(
        label=_("Classes"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("You can only address your own classes.")},
    )
    grade = RowField(label=_("Grade"), queryset=None, required=False)
    receipt_type = forms.ChoiceField(
        label=_("Receipt"), choices=ReceiptType.choices, initial=ReceiptType.READ, widget=forms.RadioSelect
    )
    choices = forms.CharField(
        label=_("Reply choices"),
        required=False,
        max_length=CHOICES_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("Will attend\nWill not attend")}),
        help_text=_("One choice per line, %(min)s to %(max)s choices.") % {"min": MIN_CHOICES, "max": MAX_CHOICES},
    )
    reply_deadline = MomentField(
        label=_("Answer by"),
        required=False,
        help_text=_("Optional. Replies can be changed until then."),
    )
    remind_after_hours = forms.IntegerField(
        label=_("Remind after (hours)"),
        required=False,
        initial=24,
        min_value=1,
        max_value=MAX_REMIND_AFTER_HOURS,
        help_text=_("Guardians who have not answered get one reminder (never at night). Leave blank for none."),
    )
    send_mode = forms.ChoiceField(label=_("When"), choices=SEND_MODES, initial=NOW, widget=forms.RadioSelect)
    scheduled_for = MomentField(label=_("Send at"), required=False)

    def __init__(self, *args, classes, grades, school, **kwargs):
        """`classes`: the classes the author may address; `grades`: the
        grades they may address (none for a head teacher, who then has
        neither the grade nor the whole-school scope)."""
        super().__init__(*args, **kwargs)
        # Sent, and answered, from now to the end of the school year.
        earliest, latest = plan_window(school)
        self.fields["scheduled_for"].window(earliest, latest)
        self.fields["reply_deadline"].window(earliest, latest)
        self.fields["classes"].queryset = classes
        self.fields["grade"].queryset = grades
        self.may_address_school = grades.exists()
        if not self.may_address_school:
            self.fields["scope"].choices = [(NoticeScope.CLASSES, NoticeScope.CLASSES.label)]
            del self.fields["grade"]
        self.fields["scope"].initial = NoticeScope.CLASSES
        self.helper = keyed_helper()
        self.helper.attrs = {"data-notice-form": ""}
        self.helper.layout = Layout(
            "title",
            "body",
            Fieldset(
                "",
                Field("scope"),
                Div("classes", data_when="scope:classes"),
                *([Div("grade", data_when="scope:grade")] if self.may_address_school else []),
            ),
            Fieldset(
                "",
                Field("receipt_type"),
                Div("choices", data_when="receipt_type:reply"),
                Div("reply_deadline", "remind_after_hours", data_when="receipt_type:read,confirm,reply"),
            ),
            Fieldset("", Field("send_mode"), Div("scheduled_for", data_when="send_mode:schedule")),
        )
        self.helper.add_input(Submit("save", _("Save")))

    def clean_choices(self):
        lines = [line.strip() for line in (self.cleaned_data.get("choices") or "").splitlines()]
        return [line for line in lines if line]

    def clean(self):
        data = super().clean()
        now = timezone.now()
        scope = data.get("scope")
        if scope == NoticeScope.CLASSES and not data.get("classes") and "classes" not in self.errors:
            self.add_error("classes", _("Choose at least one class."))
        if scope == NoticeScope.GRADE and not data.get("grade") and "grade" not in self.errors:
            self.add_error("grade", _("Choose a grade."))
        if data.get("receipt_type") == ReceiptType.REPLY:
            choices = data.get("choices") or []
            if not MIN_CHOICES <= len(choices) <= MAX_CHOICES:
                self.add_error(
                    "choices", _("Give between %(min)s and %(max)s choices.") % {"min": MIN_CHOICES, "max": MAX_CHOICES}
                )
            elif any(len(c) > CHOICE_MAX_LENGTH for c in choices):
                self.add_error("choices", _("Each choice is 1–%(n)s characters.") % {"n": CHOICE_MAX_LENGTH})
            elif len(set(choices)) != len(choices):
                self.add_error("choices", _("The choices must differ from each other."))
        else:
            data["choices"] = []
        if data.get("receipt_type") == ReceiptType.NONE:
            data["reply_deadline"] = None
            data["remind_after_hours"] = None
        mode = data.get("send_mode")
        if mode == self.SCHEDULE:
            when = data.get("scheduled_for")
            if when is None:
                if "scheduled_for" not in self.errors:
                    self.add_error("scheduled_for", _("Choose when to send it."))
            elif when <= now:
                self.add_error("scheduled_for", _("Choose a time in the future."))
        else:
            data["scheduled_for"] = None
        deadline = data.get("reply_deadline")
        if deadline is not None:
            start = data.get("scheduled_for") or now
            if deadline <= start:
                self.add_error("reply_deadline", _("The deadline must be after the sending time."))
        return data


class NoticeAnswerForm(Form):
    """A guardian's answer for one child: confirm, or reply with a choice
    and an optional comment. `student` must be one of the guardian's
    children the notice reached (the choices)."""

    CONFIRM, REPLY = "confirm", "reply"

    student = forms.TypedChoiceField(coerce=int, choices=(), widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[(CONFIRM, CONFIRM), (REPLY, REPLY)], widget=forms.HiddenInput)
    choice = forms.TypedChoiceField(
        label=_("Your answer"), coerce=int, empty_value=None, choices=(), required=False, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=COMMENT_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, notice, students, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.notice = notice
        self.fields["student"].choices = [(s.pk, s.name) for s in students]
        self.fields["choice"].choices = list(enumerate(notice.choices or []))
        self.helper = keyed_helper()
        # Several children's forms share a page: keep every id unique.
        submit_id = self.auto_id % "save" if isinstance(self.auto_id, str) and "%s" in self.auto_id else None
        self.helper.add_input(Submit("save", submit_label or _("Send answer"), css_class="w-100", css_id=submit_id))

    def clean(self):
        data = super().clean()
        if data.get("action") == self.REPLY and data.get("choice") is None and "choice" not in self.errors:
            self.add_error("choice", _("Choose one of the answers."))
        return data
