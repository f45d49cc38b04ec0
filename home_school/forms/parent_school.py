from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DayField, Form, keyed_helper

from ..models import ArticleCategory
from ..windows import school_year_bounds


class ArticleForm(Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    category = forms.ChoiceField(label=_("Category"), choices=ArticleCategory.choices)
    summary = forms.CharField(label=_("Summary"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Text"),
        max_length=30000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Plain text. A blank line starts a paragraph; “# ” a heading; “- ” a list item; **bold**."),
    )
    is_published = forms.BooleanField(label=_("Published"), required=False)
    published_on = DayField(
        label=_("Publish date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Empty: today, when published."),
    )

    def __init__(self, *args, school, published_on=None, **kwargs):
        """`published_on`: the date of the article being changed (kept
        even from an earlier year)."""
        super().__init__(*args, **kwargs)
        # Published in this school year (a later day holds it back until then).
        start, end = school_year_bounds(school)
        self.fields["published_on"].window(min(start, published_on or start), end)
        self.helper = keyed_helper()
        self.helper.add_input(Submit("save", _("Save article")))
