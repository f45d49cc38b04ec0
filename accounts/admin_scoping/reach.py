"""Who is a school administrator of which schools, where a row's school is,
and which accounts an administrator manages."""

import functools

from django.db.models import Exists, OuterRef, Q

from ..models import Membership, Role, User

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


def is_scoped(request) -> bool:
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


def crosses_many(model, path: str) -> bool:
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
        if crosses_many(model, path):
            # A join through a to-many relation would repeat rows.
            queryset = queryset.filter(pk__in=model._base_manager.filter(**lookup).values("pk"))
        else:
            queryset = queryset.filter(**lookup)
    return queryset


def rows_for(request, queryset):
    """`queryset` as the administrator of `request` may see it."""
    if not is_scoped(request):
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
    if not is_scoped(request):
        return queryset
    ids = admin_school_ids(request)
    elsewhere = Membership.objects.filter(user=OuterRef("pk")).filter(~Q(school__in=ids) | Q(role=Role.SCHOOL_ADMIN))
    inside = Membership.objects.filter(user=OuterRef("pk"), school__in=ids)
    return queryset.filter(Exists(inside), ~Exists(elsewhere), is_superuser=False, is_staff=False)


def may_manage_user(request, user) -> bool:
    if user is None or not is_scoped(request):
        return True
    return users_managed_by(request, User.objects.filter(pk=user.pk)).exists()
