import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Dimension


class IdListField(forms.Field):
    """A list of distinct positive integers (ids posted by the entry page).
    Whether they belong to the class is the service's check."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *args, max_items=80, **kwargs):
        self.max_items = max_items
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if not value:
            return []
        values = value if isinstance(value, (list, tuple)) else [value]
        try:
            ids = sorted({int(v) for v in values})
        except (TypeError, ValueError):
            raise forms.ValidationError(_("Some of the chosen students are not in this class.")) from None
        if any(i <= 0 for i in ids):
            raise forms.ValidationError(_("Some of the chosen students are not in this class."))
        if len(ids) > self.max_items:
            raise forms.ValidationError(_("At most %(n)s students at once.") % {"n": self.max_items})
        return ids


class RecordForm(forms.Form):
    """Two taps: the students and the item. Only these fields are read.
    `item_lookup(pk)` returns the school's active item or None."""

    item = forms.IntegerField(error_messages={"invalid": _("Choose an item from the list."), "required": _("Choose an item from the list.")})
    students = IdListField(error_messages={"required": _("Choose at least one student first.")})
    note = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, item_lookup, **kwargs):
        super().__init__(*args, **kwargs)
        self.item_lookup = item_lookup

    def clean_item(self):
        item = self.item_lookup(self.cleaned_data["item"])
        if item is None:
            raise forms.ValidationError(_("Choose an item from the list."), code="invalid_choice")
        return item


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this entry wrong?"),
        max_length=200,
        error_messages={"required": _("Say why the entry is voided.")},
        widget=forms.TextInput(attrs={"placeholder": _("e.g. recorded for the wrong student")}),
    )


class TimelineFilterForm(forms.Form):
    dimension = forms.ChoiceField(label=_("Dimension"), choices=[("", _("All dimensions"))] + list(Dimension.choices), required=False)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    voided = forms.BooleanField(label=_("Show voided entries"), required=False, initial=True)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("“From” must not be after “until”."))
        return data


class GroupForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=())
    name = forms.CharField(label=_("Name"), max_length=30)
    students = forms.TypedMultipleChoiceField(
        label=_("Members"),
        coerce=int,
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A student who is in another group of the same kind moves to this one."),
    )

    def __init__(self, *args, students, editing=False, **kwargs):
        """`students`: the class's current students; a `group_names`
        attribute on a student (their current groups) is shown next to the
        name. `editing`: the kind of an existing group does not change
        (moral_ed.services.group_save keeps it)."""
        from ..models import GroupKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = GroupKind.choices
        self.fields["kind"].disabled = editing
        self.fields["students"].choices = [
            (s.pk, f"{s.name} · {s.group_names}" if getattr(s, "group_names", "") else s.name) for s in students
        ]
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save group")))


class RewardForm(forms.Form):
    name = forms.CharField(label=_("Reward"), max_length=40)
    cost = forms.DecimalField(label=_("Cost in points"), max_digits=6, decimal_places=1, min_value=0.5)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Add reward")))


class NominationForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Star"), queryset=None)
    student = forms.TypedChoiceField(label=_("Student"), coerce=int, choices=())
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, categories, students, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["student"].choices = [("", "—")] + [(s.pk, s.name) for s in students]
        self.helper = FormHelper()
        self.helper.form_id = "nominate"
        self.helper.add_input(Submit("nominate", _("Nominate")))


def parse_day(value) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return timezone.localdate()


# --- The head teacher's and the office's management pages ---------------------------


class EntryIdsField(IdListField):
    """Ids of conduct entries (the review queue's checkboxes). Whether they
    are the class's entries still waiting for review is the view's check."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            raise forms.ValidationError(_("Choose entries from the list.")) from None


class ReviewActionForm(forms.Form):
    """One student's waiting entries: release them, merge them into one
    note to guardians, or void them."""

    RELEASE, MERGE, VOID = "release", "merge", "void"

    action = forms.ChoiceField(
        choices=[(RELEASE, _("Release now")), (MERGE, _("Merge into one calm note")), (VOID, _("Void"))],
        error_messages={"required": _("Choose what to do with the entries."), "invalid_choice": _("Choose what to do with the entries.")},
    )
    events = EntryIdsField(max_items=200, error_messages={"required": _("Choose at least one entry.")})
    text = forms.CharField(max_length=500, required=False)
    reason = forms.CharField(max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") == self.MERGE and not data.get("text"):
            self.add_error("text", _("Write the note guardians will read."))
        if data.get("action") == self.VOID and not data.get("reason"):
            self.add_error("reason", _("Say why the entry is voided."))
        return data


class GroupPointsForm(forms.Form):
    item = forms.ModelChoiceField(
        label=_("Item"),
        queryset=None,
        error_messages={"required": _("Choose an item from the list."), "invalid_choice": _("Choose an item from the list.")},
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=200, required=False)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items


def _points_text(value) -> str:
    return f"{value.normalize():f}"


class RedeemForm(forms.Form):
    """A student and a reward, both chosen from lists the view already
    holds (the class's current students and its active rewards)."""

    student = forms.TypedChoiceField(
        label=_("Student"), coerce=int, choices=(), error_messages={"invalid_choice": _("Choose a student of this class.")}
    )
    reward = forms.TypedChoiceField(
        label=_("Reward"), coerce=int, choices=(), error_messages={"invalid_choice": _("Choose a reward from the list.")}
    )

    def __init__(self, *args, students, rewards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].choices = [("", "—")] + [
            (s.pk, _("%(name)s (balance %(balance)s)") % {"name": s.name, "balance": _points_text(s.balance)})
            if hasattr(s, "balance")
            else (s.pk, s.name)
            for s in students
        ]
        self.fields["reward"].choices = [("", "—")] + [
            (r.pk, _("%(name)s (%(cost)s points)") % {"name": r.name, "cost": _points_text(r.cost)}) for r in rewards
        ]


class RewardSwitchForm(forms.Form):
    reward = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class RedemptionVoidForm(VoidForm):
    redemption = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class StarDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", _("Award")), ("decline", _("Do not award"))])
