"""What the forms of home_school share on top of core.forms.

- `RowField` / `RowsField`: a row (rows) chosen from the list the view
  gives, rendered as a select (checkboxes). The posted value is first read
  by core.forms.IdField / IdListField, so an id the database cannot hold
  is an invalid choice, never a query.
"""

from django import forms

from core.forms import IdField, IdListField


class RowField(forms.ModelChoiceField):
    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            IdField(required=False).clean(value)
        except forms.ValidationError:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None
        return super().to_python(value)


class RowsField(forms.ModelMultipleChoiceField):
    def __init__(self, *args, max_items=100, **kwargs):
        self.max_items = max_items
        super().__init__(*args, **kwargs)

    def clean(self, value):
        try:
            ids = IdListField(required=False, max_items=self.max_items).clean(value)
        except forms.ValidationError:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                        params={"value": ""}) from None
        return super().clean([str(i) for i in ids])


def window(field, earliest, latest):
    """Set a DayField's or MomentField's window and show it to the browser
    (min and max of the date picker). Returns the field."""
    field.window(earliest, latest)
    if isinstance(field.widget, forms.DateTimeInput):
        field.widget.attrs.update(min=f"{earliest.isoformat()}T00:00", max=f"{latest.isoformat()}T23:59")
    else:
        field.widget.attrs.update(min=earliest.isoformat(), max=latest.isoformat())
    return field
