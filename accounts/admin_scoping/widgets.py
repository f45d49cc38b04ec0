"""Widgets, fields and list filters that offer an administrator only
the rows of their schools, and refuse ids no row could have."""

import functools

from django import forms
from django.contrib.admin import widgets
from django.contrib.admin.filters import AllValuesFieldListFilter, FieldListFilter, RelatedFieldListFilter
from django.contrib.admin.utils import get_fields_from_path
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q

from core.forms import ID_MAX, INT64_MIN, Windowed, check_day, row_key

from .reach import is_scoped

# --- ids, widgets and fields ----------------------------------------------------


class ScopedForeignKeyRawIdWidget(widgets.ForeignKeyRawIdWidget):
    """A raw-id input whose label comes from the field's choices only."""

    def __init__(self, rel, admin_site, attrs=None, using=None, choices_queryset=None):
        super().__init__(rel, admin_site, attrs=attrs, using=using)
        self.choices_queryset = choices_queryset

    def label_and_url_for_value(self, value):
        if self.choices_queryset is not None:
            key = self.rel.get_related_field()
            if row_key(value, key) is None or not self.choices_queryset.filter(**{key.name: value}).exists():
                return "", ""
        return super().label_and_url_for_value(value)


_CHANGELIST_PARAMS = {"all", "o", "p", "q", "e", "_to_field", "_popup", "_facets", "_changelist_filters"}
_NUMBER_LOOKUPS = {None, "exact", "iexact", "in", "gt", "gte", "lt", "lte", "range"}


def lookup_ids_hold(model, query) -> bool:
    """Whether every integer a changelist query string compares a number
    column with fits one (a number past 2^63 would reach the database)."""
    for key, values in query.lists():
        if key in _CHANGELIST_PARAMS:
            continue
        field, lookup = _lookup_target(model, key)
        if not isinstance(field, (models.AutoField, models.IntegerField)) or lookup not in _NUMBER_LOOKUPS:
            continue
        if lookup in ("in", "range"):
            values = [part for value in values for part in value.split(",")]
        for value in values:
            try:
                number = int(value.strip())
            except ValueError:
                continue  # Django refuses it as an incorrect lookup
            if not INT64_MIN <= number <= ID_MAX:
                return False
    return True


def _lookup_target(model, key):
    """The field a changelist lookup compares, and its lookup name."""
    field, parts = None, key.split("__")
    for index, part in enumerate(parts):
        try:
            field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        except FieldDoesNotExist:
            if field is None:
                return None, None
            rest = parts[index:]
            return (field.target_field if field.is_relation and hasattr(field, "target_field") else field), rest[0]
        if field.is_relation and field.related_model is not None:
            model = field.related_model
    if field is not None and field.is_relation:
        field = getattr(field, "target_field", None) or field.related_model._meta.pk
    return field, None


class _SafeAutocompleteMixin:
    """Autocomplete widgets render the labels of the selected values from
    the field's choices; values no row could have are left out first."""

    def optgroups(self, name, value, attr=None):
        target = self.field.remote_field.get_related_field() if hasattr(self, "field") else None
        if target is not None:
            value = [v for v in value if v in ("", None) or row_key(v, target) is not None]
        return super().optgroups(name, value, attr)


class ScopedAutocompleteSelect(_SafeAutocompleteMixin, widgets.AutocompleteSelect):
    pass


class ScopedAutocompleteSelectMultiple(_SafeAutocompleteMixin, widgets.AutocompleteSelectMultiple):
    pass


class AdminMomentField(Windowed, forms.SplitDateTimeField):
    """The admin's date-and-time field (a date and a time input), its day
    inside the window (core.forms.MomentField's rule) and 2000–2099."""

    def validate(self, value):
        super().validate(value)
        if value is not None:
            check_day(value.date(), earliest=self.earliest, latest=self.latest)


# --- list filters ------------------------------------------------------------------


class ScopedRelatedFieldListFilter(RelatedFieldListFilter):
    """Lists the related rows in the administrator's schools."""

    def field_choices(self, field, request, model_admin):
        if not is_scoped(request):
            return super().field_choices(field, request, model_admin)
        allowed = model_admin.scope_for_model(field.related_model, request)
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(include_blank=False, ordering=ordering, limit_choices_to=Q(pk__in=allowed.values("pk")))


class _ScopedRelatedSubclassMixin:
    """For a subclass of RelatedFieldListFilter with its own choices: keeps
    those of them in the administrator's schools."""

    def field_choices(self, field, request, model_admin):
        choices = super().field_choices(field, request, model_admin)
        if not is_scoped(request):
            return choices
        keep = set(model_admin.scope_for_model(field.related_model, request).values_list("pk", flat=True))
        return [choice for choice in choices if choice[0] in keep]


class ScopedAllValuesFieldListFilter(AllValuesFieldListFilter):
    """Lists the values found in the page's own rows (Django looks a value
    behind a relation up among every row of the related table)."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        if is_scoped(request):
            self.lookup_choices = (
                model_admin.get_queryset(request).order_by(field_path).values_list(field_path, flat=True).distinct()
            )


@functools.cache
def _scoped_filter_class(cls):
    if issubclass(cls, (ScopedRelatedFieldListFilter, _ScopedRelatedSubclassMixin, ScopedAllValuesFieldListFilter)):
        return cls
    if issubclass(cls, RelatedFieldListFilter):
        if cls is RelatedFieldListFilter:
            return ScopedRelatedFieldListFilter
        return type(f"Scoped{cls.__name__}", (_ScopedRelatedSubclassMixin, cls), {"__module__": __name__})
    if issubclass(cls, AllValuesFieldListFilter):
        if cls is AllValuesFieldListFilter:
            return ScopedAllValuesFieldListFilter
        return type(f"Scoped{cls.__name__}", (ScopedAllValuesFieldListFilter, cls), {"__module__": __name__})
    return cls


def scoped_list_filter(model, spec):
    """A list_filter entry whose choices stay in the administrator's schools.
    Simple list filters (classes) choose their own lookups: they must scope
    them themselves (tests/accounts/test_admin_tenancy.py checks the pages)."""
    if isinstance(spec, str):
        field = get_fields_from_path(model, spec)[-1]
        for test, cls in FieldListFilter._field_list_filters:
            if test(field):
                scoped = _scoped_filter_class(cls)
                return spec if scoped is cls else (spec, scoped)
        return spec
    if isinstance(spec, (list, tuple)) and len(spec) == 2 and isinstance(spec[1], type):
        return (spec[0], _scoped_filter_class(spec[1]))
    return spec
