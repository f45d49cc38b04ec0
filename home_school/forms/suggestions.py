from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import Form, keyed_helper

from ..models import SuggestionRecipient

OFFICE = "office"


class SuggestionForm(Form):
    """`to`: "class:<id>" for the head teacher of one of the guardian's
    children's classes, or "office"."""

    to = forms.ChoiceField(label=_("To"), choices=(), widget=forms.RadioSelect)
    body = forms.CharField(
        label=_("Your suggestion"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": _("What would you like the school to know or change?")}),
    )
    anonymous = forms.BooleanField(
        label=_("Send anonymously"),
        required=False,
        help_text=_("The school will not know who wrote it. You get a code, shown only once, to read the reply."),
    )

    def __init__(self, *args, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.classes = {c.pk: c for c in classes}
        choices = [
            (f"class:{c.pk}", _("The head teacher of %(class)s") % {"class": c.name}) for c in classes
        ]
        choices.append((OFFICE, _("The school office")))
        self.fields["to"].choices = choices
        self.initial.setdefault("to", choices[0][0])
        self.helper = keyed_helper()
        self.helper.add_input(Submit("send", _("Send"), css_class="w-100"))

    def clean(self):
        data = super().clean()
        to = data.get("to")
        if to == OFFICE:
            data["recipient"], data["school_class"] = SuggestionRecipient.OFFICE, None
        elif to:
            data["recipient"] = SuggestionRecipient.HEAD_TEACHER
            data["school_class"] = self.classes[int(to.removeprefix("class:"))]
        return data


class CodeForm(Form):
    code = forms.CharField(
        label=_("Your code"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("open", _("Show the reply"), css_class="w-100"))


class ReplyForm(Form):
    body = forms.CharField(label=_("Reply"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = keyed_helper()
        self.helper.add_input(Submit("reply", _("Send reply")))
