"""Forms of term awards, practice records and the exports' filters. They
check what is cheap; the rules (vetoes, duplicates, enrollment, what a
file really is) are the services'."""

from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import DayField, Form, MultipleFileField, keyed_helper
from core.text import BODY_MAX
from core.uploads import attachment_max_bytes

from ..models import STUDENT_AWARDS, AwardKind, AwardStatus, PracticeKind
from ..services.awards import MAX_EVIDENCE

HEAD_TEACHER_KINDS = [(k.value, k.label) for k in (*STUDENT_AWARDS, AwardKind.OUTSTANDING_CLASS)]


class ProposalForm(Form):
    """The head teacher's proposal for their class: a student for merit
    student or outstanding cadre, or the class itself as outstanding class."""

    kind = forms.ChoiceField(
        label=pgettext_lazy("term award", "Award"),
        choices=HEAD_TEACHER_KINDS,
        error_messages={"required": _("Choose the award."), "invalid_choice": _("Choose the award.")},
    )
    student = forms.TypedChoiceField(
        label=_("Student"),
        coerce=int,
        choices=(),
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a student of this class.")},
        help_text=_("Not needed for outstanding class."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give a reason for the proposal.")},
    )

    def __init__(self, *args, students, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].choices = [("", "—")] + [(s.pk, s.name) for s in students]
        self.helper = keyed_helper()
        self.helper.form_id = "propose"
        self.helper.add_input(Submit("propose", _("Propose")))

    def clean(self):
        data = super().clean()
        if data.get("kind") in STUDENT_AWARDS and not data.get("student"):
            self.add_error("student", _("Choose a student."))
        return data


class HeadTeacherProposalForm(Form):
    """The office proposes a class's head teacher as outstanding head teacher."""

    school_class = forms.TypedChoiceField(
        label=_("Class"), coerce=int, choices=(), error_messages={"invalid_choice": _("Choose a class from the list.")}
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give a reason for the proposal.")},
    )

    def __init__(self, *args, classes, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")]
        for c in classes:
            head = c.head_assignments[0].teacher.get_full_name() if c.head_assignments else _("no head teacher")
            choices.append((c.pk, f"{c.name} · {head}"))
        self.fields["school_class"].choices = choices
        self.helper = keyed_helper()
        self.helper.form_id = "propose-head"
        self.helper.add_input(Submit("propose", _("Propose")))


class DecisionForm(Form):
    APPROVE, DECLINE = "approve", "decline"

    decision = forms.ChoiceField(
        choices=[(APPROVE, _("Approve")), (DECLINE, _("Decline"))],
        error_messages={"required": _("Approve or decline."), "invalid_choice": _("Approve or decline.")},
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.DECLINE and not (data.get("note") or "").strip():
            self.add_error("note", _("Say why the proposal is declined; the head teacher reads it."))
        return data


class AwardFilterForm(Form):
    """The term, kind, grade and status of the queue, the list and the export."""

    term = forms.TypedChoiceField(label=pgettext_lazy("school term", "Term"), coerce=int, choices=(), required=False, empty_value=None)
    kind = forms.ChoiceField(label=pgettext_lazy("term award", "Award"), choices=[("", _("All awards")), *AwardKind.choices], required=False)
    grade = forms.TypedChoiceField(label=_("Grade"), coerce=int, choices=(), required=False, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All"))] + list(AwardStatus.choices), required=False)

    def __init__(self, *args, terms, grades=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.terms = {t.pk: t for t in terms}
        self.fields["term"].choices = [(t.pk, str(t)) for t in terms]
        self.fields["grade"].choices = [("", _("All grades"))] + [(g.pk, str(g)) for g in grades]

    def chosen_term(self, default):
        if self.is_bound and self.is_valid() and self.cleaned_data.get("term"):
            return self.terms[self.cleaned_data["term"]]
        return default

    def value(self, name):
        return self.cleaned_data.get(name) if self.is_bound and self.is_valid() else None


class PracticeForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PracticeKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Activity"), max_length=100, error_messages={"required": _("Name the activity.")})
    occurred_on = DayField(label=_("Date"))
    hours = forms.DecimalField(label=_("Hours (optional)"), max_digits=5, decimal_places=1, min_value=0.5, required=False)
    description = forms.CharField(label=_("Description"), max_length=BODY_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = MultipleFileField(
        label=_("Evidence: photos or PDF"),
        required=False,
        # Empty files reach clean_evidence, which names them.
        allow_empty_file=True,
        help_text=_("Up to 5 files: photos (JPEG, PNG, WebP) or PDF. Files are checked by their content."),
    )

    def __init__(self, *args, school_year=None, **kwargs):
        """`school_year`: the current one; the activity took place in it,
        not in the future (the service checks it again)."""
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        if school_year is not None:
            self.fields["occurred_on"].window(school_year.start_date, min(school_year.end_date, today))
        else:
            self.fields["occurred_on"].window(None, today)
        self.helper = keyed_helper()
        self.helper.form_id = "practice"
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.add_input(Submit("save", _("Save record")))

    def clean_evidence(self):
        files = self.cleaned_data.get("evidence") or []
        if len(files) > MAX_EVIDENCE:
            raise ValidationError(_("Attach at most %(n)s files to one record.") % {"n": MAX_EVIDENCE})
        limit = attachment_max_bytes()
        errors = []
        for f in files:
            if not f.size:
                errors.append(ValidationError(_("“%(name)s” is empty."), params={"name": f.name}))
            elif f.size > limit:
                # Refused before it is read into memory.
                errors.append(
                    ValidationError(_("“%(name)s” is larger than %(limit)s."), params={"name": f.name, "limit": filesizeformat(limit)})
                )
        if errors:
            raise ValidationError(errors)
        return files

    def files_for_service(self):
        """(name, bytes) pairs; only called once the sizes were checked."""
        return [(f.name, f.read()) for f in self.cleaned_data.get("evidence") or []]


class PracticeVoidForm(Form):
    reason = forms.CharField(
        label=_("Why is this record wrong?"),
        max_length=200,
        error_messages={"required": _("Say why the record is voided.")},
    )
