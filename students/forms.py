from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from classes.models import School
from core.forms import Form

from .models import KEEP_FILE_DAYS_MAX
from .roster.problems import FileProblem, problem_message
from .roster.reading import sniff


class RosterUploadForm(Form):
    """A roster file for one of the schools the person administers. The
    whole file is checked later by the import; here only what is cheap:
    its size and that it is a CSV or XLSX at all."""

    school = forms.ModelChoiceField(queryset=School.objects.none(), label=_("School"))
    file = forms.FileField(
        label=_("Roster file"),
        help_text=_("CSV (UTF-8 or GBK) or XLSX, with the columns described in the import guide."),
    )
    keep_file_days = forms.IntegerField(
        label=_("Keep the file"),
        min_value=0,
        max_value=KEEP_FILE_DAYS_MAX,
        initial=0,
        required=False,
        help_text=_(
            "Days to keep the uploaded file after the import, 0 to 30. 0 deletes it as soon as the import ends; "
            "a kept file holds only the columns the import knows and is deleted by the nightly purge."
        ),
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        first_two = list(schools[:2])
        if len(first_two) == 1:
            self.fields["school"].initial = first_two[0].pk
        self.content = b""

    def clean_keep_file_days(self):
        return self.cleaned_data["keep_file_days"] or 0

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.ROSTER_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(settings.ROSTER_MAX_BYTES)}
            )
        content = upload.read()
        try:
            sniff(content)
        except FileProblem as exc:
            raise forms.ValidationError(problem_message(exc.problem.as_dict())) from None
        self.content = content
        return upload
