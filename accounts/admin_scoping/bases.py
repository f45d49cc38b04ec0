"""The bases every ModelAdmin and inline of banwu is built on."""

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from core.forms import DayField, ModelForm, RowsField, row_key

from .reach import (
    admin_school_ids,
    crosses_many,
    in_schools,
    is_school_admin,
    is_scoped,
    may_manage_user,
    rows_for,
    school_path,
    users_managed_by,
)
from .widgets import (
    AdminMomentField,
    ScopedAutocompleteSelect,
    ScopedAutocompleteSelectMultiple,
    ScopedForeignKeyRawIdWidget,
    lookup_ids_hold,
    scoped_list_filter,
)

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
        if is_scoped(request):
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
        if not is_scoped(request) or getattr(form_class, "_banwu_scoped_form", False):
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
        if not is_scoped(request):
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
        if obj is None or not is_scoped(request):
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
        if not is_scoped(request):
            return qs
        return self._scoped(qs, request)

    def _scoped(self, qs, request):
        if self.person_field:
            return qs.filter(**{f"{self.person_field}__in": users_managed_by(request).values("pk")})
        if not self.school_field:
            return in_schools(qs, admin_school_ids(request))
        lookup = {f"{self.school_field}__in": admin_school_ids(request)}
        if crosses_many(self.model, self.school_field):
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
            if ids and is_scoped(request):
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
        if not is_scoped(request):
            return specs
        return [scoped_list_filter(self.model, spec) for spec in specs]

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if is_scoped(request) and is_autocomplete(request):
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
