"""The system check: every admin of banwu is built on the bases."""

from django.contrib import admin
from django.core import checks

from core.forms import CleanedTextMixin

from ..models import User
from .bases import SchoolScopedAdmin, SchoolScopedInline
from .reach import school_path

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
