"""School tenancy for the Django admin: the one base every ModelAdmin and
inline of banwu inherits (STYLE.md, DESIGN.md invariant 9).

A superuser sees every school. A school administrator (active, is_staff,
the school_admin role in an active school) sees and uses only rows of the
schools they administer, and everything an admin page offers them passes
through here, not field by field:

- rows: `get_queryset` keeps the rows whose school is theirs (a row
  outside is "not found");
- every ForeignKey and ManyToMany form field, generated or declared, of the
  form, the inlines and the list_editable forms: its choices are the rows
  in their schools (`TenancyMixin.scope_for_field`);
- widget labels: raw-id and autocomplete widgets look a label up among
  those choices only, so an id outside them shows no name;
- query-string initial values (`…/add/?user=<id>`): ids outside are dropped;
- list filter sidebars (related and all-values filters) list their rows only;
- autocomplete answers with the searched admin's rows that are also
  choices of the asking field;
- actions act on the page's rows (narrowed by `actionable_queryset`).

Ids no database column holds (2^63 and up) are refused as invalid choices
or dropped; they never reach the database.

Where a row's school is (`school_path`): its `school` foreign key; School
itself; a user is in a school when they hold a Membership there; any other
model through its required foreign keys (every one must lead inside).

Users are managed under a stricter rule (`users_managed_by`).
"""

import functools

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers, widgets
from django.contrib.admin.filters import AllValuesFieldListFilter, FieldListFilter, RelatedFieldListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Exists, OuterRef, Q

from core.forms import ID_MAX, INT64_MIN, CleanedTextMixin, DayField, ModelForm, RowsField, Windowed, check_day, row_key

from .models import Membership, Role, User

# --- who is a school administrator, of which schools ------------------------


def admin_school_ids(request) -> list[int]:
    """The active schools `request.user` administers (cached on the request)."""
    cache = request.__dict__.get("_banwu_admin_school_ids")
    if cache is None:
        cache = list(
            Membership.objects.filter(user=request.user, role=Role.SCHOOL_ADMIN, school__is_active=True).values_list(
                "school_id", flat=True
            )
        )
        request._banwu_admin_school_ids = cache
    return cache


def is_school_admin(request) -> bool:
    user = request.user
    return user.is_active and user.is_staff and bool(admin_school_ids(request))


def _scoped_request(request) -> bool:
    """Whether this request is limited to the administrator's schools."""
    return not request.user.is_superuser


# --- where a row's school is --------------------------------------------------

# Models whose way to a school is not a field named `school` or a required
# foreign key; "pk" is the school itself.
SCHOOL_PATHS = {
    "classes.School": ("pk",),
    "accounts.User": ("memberships__school",),
}


@functools.cache
def school_path(model, depth: int = 0) -> tuple[str, ...] | None:
    """The lookups that lead from a row of `model` to its school, or None
    when it has no way to one (such rows are never offered to a school
    administrator). With several, a row is inside when all of them are."""
    label = model._meta.label
    if label in SCHOOL_PATHS:
        return SCHOOL_PATHS[label]
    from classes.models import School

    direct = [f for f in model._meta.concrete_fields if (f.many_to_one or f.one_to_one) and f.related_model is School]
    if any(f.name == "school" for f in direct):
        return ("school",)
    if direct:
        return tuple(f.name for f in direct)
    if depth >= 2:
        return None
    paths = []
    for field in model._meta.concrete_fields:
        if (field.many_to_one or field.one_to_one) and not field.null and field.related_model is not model:
            sub = school_path(field.related_model, depth + 1)
            if sub is None:
                continue
            paths += [field.name if p == "pk" else f"{field.name}__{p}" for p in sub]
    return tuple(paths) or None


def _crosses_many(model, path: str) -> bool:
    for name in path.split("__"):
        if name == "pk":
            return False
        field = model._meta.get_field(name)
        if field.one_to_many or field.many_to_many:
            return True
        model = field.related_model
    return False


def in_schools(queryset, school_ids):
    """`queryset` narrowed to rows of the given schools."""
    model = queryset.model
    paths = school_path(model)
    if paths is None:
        return queryset.none()
    for path in paths:
        lookup = {f"{path}__in": school_ids}
        if _crosses_many(model, path):
            # A join through a to-many relation would repeat rows.
            queryset = queryset.filter(pk__in=model._base_manager.filter(**lookup).values("pk"))
        else:
            queryset = queryset.filter(**lookup)
    return queryset


def rows_for(request, queryset):
    """`queryset` as the administrator of `request` may see it."""
    if not _scoped_request(request):
        return queryset
    return in_schools(queryset, admin_school_ids(request))


# --- users ----------------------------------------------------------------------


def users_managed_by(request, queryset=None):
    """The accounts a school administrator manages (view, change, set the
    password of, give roles to): accounts whose every membership lies in
    schools they administer, with at least one, that are not superusers,
    not staff-flagged and hold no school_admin role. Administrators and
    accounts shared with another school are the superuser's."""
    queryset = User.objects.all() if queryset is None else queryset
    if not _scoped_request(request):
        return queryset
    ids = admin_school_ids(request)
    elsewhere = Membership.objects.filter(user=OuterRef("pk")).filter(~Q(school__in=ids) | Q(role=Role.SCHOOL_ADMIN))
    inside = Membership.objects.filter(user=OuterRef("pk"), school__in=ids)
    return queryset.filter(Exists(inside), ~Exists(elsewhere), is_superuser=False, is_staff=False)


def may_manage_user(request, user) -> bool:
    if user is None or not _scoped_request(request):
        return True
    return users_managed_by(request, User.objects.filter(pk=user.pk)).exists()


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
        if not _scoped_request(request):
            return super().field_choices(field, request, model_admin)
        allowed = model_admin.scope_for_model(field.related_model, request)
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(include_blank=False, ordering=ordering, limit_choices_to=Q(pk__in=allowed.values("pk")))


class _ScopedRelatedSubclassMixin:
    """For a subclass of RelatedFieldListFilter with its own choices: keeps
    those of them in the administrator's schools."""

    def field_choices(self, field, request, model_admin):
        choices = super().field_choices(field, request, model_admin)
        if not _scoped_request(request):
            return choices
        keep = set(model_admin.scope_for_model(field.related_model, request).values_list("pk", flat=True))
        return [choice for choice in choices if choice[0] in keep]


class ScopedAllValuesFieldListFilter(AllValuesFieldListFilter):
    """Lists the values found in the page's own rows (Django looks a value
    behind a relation up among every row of the related table)."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        if _scoped_request(request):
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


# --- the bases -------------------------------------------------------------------------


class TenancyMixin:
    """What an admin page and its inlines share: the form base (typed text
    cleaned, dates in a window) and the scoping of every relation field."""

    form = ModelForm
    formfield_overrides = {
        models.DateField: {"form_class": DayField},
        models.DateTimeField: {"form_class": AdminMomentField},
    }

    def _allowed(self, request):
        return request.user.is_active and (request.user.is_superuser or is_school_admin(request))

    def scope_for_model(self, model, request, queryset=None):
        """The rows of `model` this administrator may be offered."""
        queryset = model._default_manager.all() if queryset is None else queryset
        return rows_for(request, queryset)

    def scope_for_field(self, db_field, request, queryset):
        """The choices of the relation field `db_field` of this page's model
        (`queryset` holds the choices Django would offer). A page narrows
        one field further by overriding this."""
        return self.scope_for_model(db_field.related_model, request, queryset)

    def _field_choices(self, db_field, request, kwargs):
        db = kwargs.get("using")
        queryset = kwargs.pop("queryset", None)
        if queryset is None:
            queryset = self.get_field_queryset(db, db_field, request)
            if queryset is None:
                queryset = db_field.remote_field.model._default_manager.using(db)
        if _scoped_request(request):
            queryset = self.scope_for_field(db_field, request, queryset)
        kwargs["queryset"] = queryset
        return queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        queryset = self._field_choices(db_field, request, kwargs)
        if "widget" not in kwargs:
            db = kwargs.get("using")
            if db_field.name in self.get_autocomplete_fields(request):
                kwargs["widget"] = ScopedAutocompleteSelect(db_field, self.admin_site, using=db)
            elif db_field.name in self.raw_id_fields:
                kwargs["widget"] = ScopedForeignKeyRawIdWidget(
                    db_field.remote_field, self.admin_site, using=db, choices_queryset=queryset
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if not db_field.remote_field.through._meta.auto_created:
            return super().formfield_for_manytomany(db_field, request, **kwargs)
        kwargs.setdefault("form_class", RowsField)
        kwargs.setdefault("max_items", 5000)
        self._field_choices(db_field, request, kwargs)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = ScopedAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def scope_form_class(self, form_class, request):
        """`form_class` whose declared model-choice fields (those a custom
        form writes itself, which Django does not pass through
        formfield_for_dbfield) are scoped as well."""
        if not _scoped_request(request) or getattr(form_class, "_banwu_scoped_form", False):
            return form_class
        page = self

        class ScopedForm(form_class):
            _banwu_scoped_form = True

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                page._scope_declared_fields(self, request)

        ScopedForm.__name__ = ScopedForm.__qualname__ = form_class.__name__
        ScopedForm.__module__ = form_class.__module__
        return ScopedForm

    def scope_formset_class(self, formset, request):
        """`formset` whose forms are scoped, the primary-key field each
        formset adds to its forms included."""
        if not _scoped_request(request):
            return formset
        page = self

        class ScopedFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                page._scope_declared_fields(form, request)

        ScopedFormSet.form = self.scope_form_class(formset.form, request)
        ScopedFormSet.__name__ = ScopedFormSet.__qualname__ = formset.__name__
        return ScopedFormSet

    def _scope_declared_fields(self, form, request):
        for name, field in form.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is None or getattr(field, "_banwu_scoped", False):
                continue
            try:
                db_field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                db_field = None
            if db_field is not None and db_field.is_relation and db_field.related_model is queryset.model:
                field.queryset = self.scope_for_field(db_field, request, queryset)
            else:
                field.queryset = self.scope_for_model(queryset.model, request, queryset)
            field._banwu_scoped = True

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and db_field.is_relation and hasattr(formfield, "queryset"):
            formfield._banwu_scoped = True
        return formfield


class SchoolScopedAdmin(TenancyMixin, admin.ModelAdmin):
    """The base of every ModelAdmin of banwu. `school_field` names the
    lookup to the row's school when it is not found by `school_path`
    (e.g. "notification__school"; a path through a to-many relation such as
    "user__memberships__school" is allowed)."""

    school_field = None
    # A row that belongs to one person and reaches a school only through
    # their roles (a person's settings) names that person's field here: it
    # is shown and changed only for accounts the administrator manages
    # (users_managed_by), never for one shared with another school.
    person_field = None

    def _paths(self):
        return (self.school_field,) if self.school_field else school_path(self.model)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request) and self._owns(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request) and self._owns(request, obj)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request) and self._owns(request, obj)

    def _owns(self, request, obj):
        if obj is None or not _scoped_request(request):
            return True
        if self.person_field:
            return may_manage_user(request, getattr(obj, self.person_field))
        paths = self._paths()
        if paths and len(paths) == 1 and "__" not in paths[0]:
            ids = admin_school_ids(request)
            return (obj.pk if paths[0] == "pk" else getattr(obj, f"{paths[0]}_id", None)) in ids
        return self._scoped(self.model._default_manager.filter(pk=obj.pk), request).exists()

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if not _scoped_request(request):
            return qs
        return self._scoped(qs, request)

    def _scoped(self, qs, request):
        if self.person_field:
            return qs.filter(**{f"{self.person_field}__in": users_managed_by(request).values("pk")})
        if not self.school_field:
            return in_schools(qs, admin_school_ids(request))
        lookup = {f"{self.school_field}__in": admin_school_ids(request)}
        if _crosses_many(self.model, self.school_field):
            return qs.filter(pk__in=self.model._default_manager.filter(**lookup).values("pk"))
        return qs.filter(**lookup)

    # Forms: the page's form, the list_editable forms, the inlines' forms.

    def get_form(self, request, obj=None, change=False, **kwargs):
        return self.scope_form_class(super().get_form(request, obj, change=change, **kwargs), request)

    def get_changelist_formset(self, request, **kwargs):
        return self.scope_formset_class(super().get_changelist_formset(request, **kwargs), request)

    def get_changelist_form(self, request, **kwargs):
        kwargs.setdefault("form", ModelForm)
        return self.scope_form_class(super().get_changelist_form(request, **kwargs), request)

    def get_changeform_initial_data(self, request):
        """Values from the query string; an id outside the administrator's
        choices (or one no row could have) is dropped."""
        initial = super().get_changeform_initial_data(request)
        for key in list(initial):
            try:
                db_field = self.opts.get_field(key)
            except FieldDoesNotExist:
                continue
            if not (db_field.is_relation and db_field.concrete and (db_field.many_to_one or db_field.many_to_many
                                                                     or db_field.one_to_one)):
                continue
            values = initial[key] if isinstance(initial[key], list) else [initial[key]]
            target = db_field.target_field if not db_field.many_to_many else db_field.related_model._meta.pk
            ids = [i for i in (row_key(v, target) for v in values) if i is not None]
            if ids and _scoped_request(request):
                choices = self.scope_for_field(db_field, request, db_field.related_model._default_manager.all())
                ids = list(choices.filter(**{f"{target.name}__in": ids}).values_list(target.name, flat=True))
            if not ids:
                del initial[key]
            else:
                initial[key] = [str(i) for i in ids] if db_field.many_to_many else str(ids[0])
        return initial

    # The changelist: filters, autocomplete, actions, list_editable.

    def get_changelist_instance(self, request):
        if not lookup_ids_hold(self.model, request.GET):
            raise IncorrectLookupParameters  # the changelist answers with ?e=1
        return super().get_changelist_instance(request)

    def get_list_filter(self, request):
        specs = super().get_list_filter(request)
        if not _scoped_request(request):
            return specs
        return [scoped_list_filter(self.model, spec) for spec in specs]

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if _scoped_request(request) and is_autocomplete(request):
            queryset = queryset.filter(pk__in=self._autocomplete_choices(request).values("pk"))
        return queryset, may_have_duplicates

    def _autocomplete_choices(self, request):
        """The choices of the field the autocomplete asks for (the view has
        checked app_label, model_name and field_name already)."""
        from django.apps import apps

        source_model = apps.get_model(request.GET["app_label"], request.GET["model_name"])
        db_field = source_model._meta.get_field(request.GET["field_name"])
        source_admin = self.admin_site._registry.get(source_model)
        queryset = self.model._default_manager.all()
        if isinstance(source_admin, TenancyMixin):
            return source_admin.scope_for_field(db_field, request, queryset)
        return self.scope_for_model(self.model, request, queryset)

    def actionable_queryset(self, request, queryset):
        """The selected rows an action may act on; a page narrows it."""
        return queryset

    def response_action(self, request, queryset):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        valid = [s for s in selected if row_key(s, self.opts.pk) is not None]
        if valid != selected:
            post = request.POST.copy()
            post.setlist(helpers.ACTION_CHECKBOX_NAME, valid)
            request.POST = post
        return super().response_action(request, self.actionable_queryset(request, queryset))

    def _get_edited_object_pks(self, request, prefix):
        pks = super()._get_edited_object_pks(request, prefix)
        return [pk for pk in pks if row_key(pk, self.opts.pk) is not None]


def is_autocomplete(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "autocomplete"


class SchoolScopedInline(TenancyMixin):
    """The base of every inline: its rows, choices and permissions follow
    the page it sits on (a school administrator holds no per-model Django
    permissions; the page decided who may open the parent row)."""

    def get_queryset(self, request):
        return rows_for(request, super().get_queryset(request))

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request, obj=None):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)

    def get_formset(self, request, obj=None, **kwargs):
        return self.scope_formset_class(super().get_formset(request, obj, **kwargs), request)


class SchoolScopedTabularInline(SchoolScopedInline, admin.TabularInline):
    pass


class SchoolScopedStackedInline(SchoolScopedInline, admin.StackedInline):
    pass


# --- every admin of banwu is built on these bases ----------------------------------

BANWU_APPS = ("accounts", "classes", "students", "moral_ed", "home_school", "notifications", "psych", "research",
              "core", "governance")


@checks.register(checks.Tags.admin)
def every_admin_is_school_scoped(app_configs, **kwargs):
    """A ModelAdmin or inline of banwu not built on the bases here would
    offer a school administrator every school's rows."""
    errors = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in BANWU_APPS:
            continue
        if not isinstance(model_admin, SchoolScopedAdmin):
            errors.append(checks.Error(f"{type(model_admin).__qualname__} is not built on SchoolScopedAdmin.",
                                       obj=type(model_admin), id="accounts.E001"))
        for form in (model_admin.form, getattr(model_admin, "add_form", None)):
            if form is not None and not issubclass(form, CleanedTextMixin):
                errors.append(checks.Error(f"{type(model_admin).__qualname__}: {form.__qualname__} is not built on "
                                           "core.forms (typed text would not be cleaned).", obj=type(model_admin),
                                           id="accounts.E004"))
        for inline in model_admin.inlines:
            if not issubclass(inline.form, CleanedTextMixin):
                errors.append(checks.Error(f"{inline.__qualname__}: its form is not built on core.forms.", obj=inline,
                                           id="accounts.E004"))
            if not issubclass(inline, SchoolScopedInline):
                errors.append(checks.Error(f"{inline.__qualname__} is not built on SchoolScopedInline.",
                                           obj=inline, id="accounts.E002"))
        paths = model_admin._paths() if isinstance(model_admin, SchoolScopedAdmin) else ()
        if (model is not User and any("memberships" in p for p in paths or ())
                and not getattr(model_admin, "person_field", None)):
            errors.append(checks.Error(f"{type(model_admin).__qualname__} reaches its school through a person's roles: "
                                       "set person_field, or a person shared with another school is shown here.",
                                       obj=type(model_admin), id="accounts.E005"))
        if school_path(model) is None and not getattr(model_admin, "school_field", None):
            errors.append(checks.Error(f"{model._meta.label} has no way to a school.", obj=type(model_admin),
                                       id="accounts.E003"))
    return errors
