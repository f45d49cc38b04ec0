from decimal import Decimal

from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DayField, Form, IdField, IdListField, keyed_helper

from ..models import Dimension
from ..models.conduct import HALF_POINTS_MESSAGE
from ..services.conduct import MAX_BATCH


class RecordForm(Form):
    """Two taps: the students and the item. Only these fields are read.
    `item_lookup(pk)` returns the school's active item or None. Ids the
    database could not hold are refused here, before any query."""

    item = IdField(error_messages=dict.fromkeys(("invalid", "min_value", "max_value", "required"), _("Choose an item from the list.")))
    students = IdListField(
        max_items=MAX_BATCH,
        error_messages={
            "required": _("Choose at least one student first."),
            "invalid": _("Some of the chosen students are not in this class."),
            "too_many": _("At most %(n)s students at once."),
        },
    )
    note = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, item_lookup, **kwargs):
        super().__init__(*args, **kwargs)
        self.item_lookup = item_lookup

    def clean_item(self):
        item = self.item_lookup(self.cleaned_data["item"])
        if item is None:
            raise forms.ValidationError(_("Choose an item from the list."), code="invalid_choice")
        return item


class VoidForm(Form):
    reason = forms.CharField(
        label=_("Why is this entry wrong?"),
        max_length=200,
        error_messages={"required": _("Say why the entry is voided.")},
        widget=forms.TextInput(attrs={"placeholder": _("e.g. recorded for the wrong student")}),
    )


class TimelineFilterForm(Form):
    """The student page's filters. The dates only narrow a list, so the
    default window of core.forms (2000–2099) is enough."""

    dimension = forms.ChoiceField(label=_("Dimension"), choices=[("", _("All dimensions"))] + list(Dimension.choices), required=False)
    start = DayField(label=_("From"), required=False)
    end = DayField(label=_("Until"), required=False)
    voided = forms.BooleanField(label=_("Show voided entries"), required=False, initial=True)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("“From” must not be after “until”."))
        return data


class GroupForm(Form):
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
        self.helper = keyed_helper()
        self.helper.add_input(Submit("save", _("Save group")))


class RewardForm(Form):
    name = forms.CharField(label=_("Reward"), max_length=40)
    # Whole or half points, as every point value of the school's rules
    # (the model's constraint holds it too).
    cost = forms.DecimalField(
        label=_("Cost in points"), max_digits=6, decimal_places=1, min_value=Decimal("0.5"), step_size=Decimal("0.5"),
        error_messages={"step_size": HALF_POINTS_MESSAGE},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = keyed_helper()
        self.helper.add_input(Submit("save", _("Add reward")))


class NominationForm(Form):
    category = forms.ModelChoiceField(label=_("Star"), queryset=None)
    student = forms.TypedChoiceField(label=_("Student"), coerce=int, choices=())
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, categories, students, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["student"].choices = [("", "—")] + [(s.pk, s.name) for s in students]
        self.helper = keyed_helper()
        self.helper.form_id = "nominate"
        self.helper.add_input(Submit("nominate", _("Nominate")))


# --- The head teacher's and the office's management pages ---------------------------


class ReviewActionForm(Form):
    """One student's waiting entries: release them, merge them into one
    note to guardians, or void them."""

    RELEASE, MERGE, VOID = "release", "merge", "void"

    action = forms.ChoiceField(
        choices=[(RELEASE, _("Release now")), (MERGE, _("Merge into one calm note")), (VOID, _("Void"))],
        error_messages={"required": _("Choose what to do with the entries."), "invalid_choice": _("Choose what to do with the entries.")},
    )
    # Whether they are the class's entries still waiting for review is the view's check.
    events = IdListField(
        max_items=200,
        error_messages={"required": _("Choose at least one entry."), "invalid": _("Choose entries from the list."),
                        "too_many": _("Choose at most %(n)s entries at once.")},
    )
    text = forms.CharField(max_length=500, required=False)
    reason = forms.CharField(max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") == self.MERGE and not data.get("text"):
            self.add_error("text", _("Write the note guardians will read."))
        if data.get("action") == self.VOID and not data.get("reason"):
            self.add_error("reason", _("Say why the entry is voided."))
        return data


class GroupPointsForm(Form):
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


class RedeemForm(Form):
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


class RewardSwitchForm(Form):
    reward = IdField(error_messages=dict.fromkeys(("invalid", "min_value", "max_value", "required"), _("Choose a reward from the list.")))


class RedemptionVoidForm(VoidForm):
    redemption = IdField()


class StarDecisionForm(Form):
    decision = forms.ChoiceField(choices=[("confirm", _("Award")), ("decline", _("Do not award"))])
