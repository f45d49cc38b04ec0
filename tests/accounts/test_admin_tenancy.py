"""A school administrator stays in their school in the Django admin
(DESIGN.md invariant 9; issue 10, "Trust").

The walk tests open every registered ModelAdmin as the administrator of
one school while the other school holds rows of every admin model
(tests/accounts/admin_tenancy_world.py), in both directions: A's
administrator with B populated, and B's administrator with A populated.
Nothing of the other school may be offered: no form or inline field
choice, no label from `?field=<id>`, no list filter entry, no autocomplete
result, no row acted on. Then each takeover path found in the issue has a
test of its own, and ids past 2^63 are tried everywhere.
"""

import re
from types import SimpleNamespace

import pytest
import time_machine
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.filters import AllValuesFieldListFilter, RelatedFieldListFilter
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from accounts.admin_scoping import SchoolScopedAdmin, SchoolScopedInline, in_schools
from accounts.models import AuditEvent, Membership, Role, User
from tests import factories as f
from tests.factories import PASSWORD
from tests.permissions.world import NOW

from .admin_tenancy_world import populate

BIG = str(2**63)
BANWU_APPS = {"accounts", "classes", "students", "moral_ed", "home_school", "notifications", "psych", "research", "core"}


@pytest.fixture
def two_schools(world):
    with time_machine.travel(NOW, tick=False):
        world.built = populate(world)
    return world


def _side(world, direction):
    """The administrator, their school and the other school."""
    if direction == "a":
        return SimpleNamespace(user=world.school_admin, own=world.school, other=world.b.school)
    return SimpleNamespace(user=world.b.admin, own=world.b.school, other=world.school)


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


class OtherRows:
    """Ids of the rows of a model that lie in the other school and not in
    the administrator's own (an account shared by both is in both)."""

    def __init__(self, side):
        self.side = side
        self._cache = {}

    def __call__(self, model):
        if model not in self._cache:
            qs = model._default_manager.all()
            other = set(in_schools(qs, [self.side.other.pk]).values_list("pk", flat=True))
            own = set(in_schools(qs, [self.side.own.pk]).values_list("pk", flat=True))
            self._cache[model] = other - own
        return self._cache[model]


def _scoped_admins():
    return [(m, ma) for m, ma in admin.site._registry.items() if isinstance(ma, SchoolScopedAdmin)]


def _info(model):
    return model._meta.app_label, model._meta.model_name


def _own_row(model_admin, user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return model_admin.get_queryset(request).order_by("pk").first()


def _forms_of(response):
    """Every form of an admin add/change page: the page's form, each inline
    form and each inline's empty form."""
    context = response.context
    forms = [context["adminform"].form]
    for inline in context.get("inline_admin_formsets") or []:
        forms += list(inline.formset.forms) + [inline.formset.empty_form]
    return forms


def _choice_problems(where, forms, other_rows):
    problems, checked = [], 0
    for form in forms:
        for name, field in form.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is None:
                continue
            checked += 1
            offered = set(queryset.values_list("pk", flat=True)) & other_rows(queryset.model)
            if offered:
                problems.append(f"{where} {type(form).__name__}.{name}: offers {queryset.model._meta.label} {sorted(offered)}")
    return problems, checked


# --- the mechanism covers every admin ------------------------------------------


def test_every_banwu_admin_and_inline_is_built_on_the_school_scoped_bases():
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in BANWU_APPS:
            continue
        assert isinstance(model_admin, SchoolScopedAdmin), type(model_admin)
        for inline in model_admin.inlines:
            assert issubclass(inline, SchoolScopedInline), inline


def test_the_system_check_refuses_admins_that_leave_the_school(monkeypatch):
    """The check behind test above, run at every start: it names an admin
    not built on the bases, and one whose rows reach their school only
    through a person's roles without saying whose (person_field)."""
    from accounts.admin_scoping import every_admin_is_school_scoped
    from notifications.models import NotificationPreference

    assert every_admin_is_school_scoped(None) == []
    preferences = admin.site._registry[NotificationPreference]
    monkeypatch.setattr(preferences, "person_field", None)
    assert [e.id for e in every_admin_is_school_scoped(None)] == ["accounts.E005"]
    monkeypatch.setitem(admin.site._registry, NotificationPreference, admin.ModelAdmin(NotificationPreference, admin.site))
    assert "accounts.E001" in [e.id for e in every_admin_is_school_scoped(None)]


def test_other_admins_are_closed_to_school_administrators(world):
    """Third-party admins (auth groups, login attempts, schedules) are the
    superuser's: a school administrator holds no Django permission."""
    client = _client(world.school_admin)
    others = [m for m, ma in admin.site._registry.items() if not isinstance(ma, SchoolScopedAdmin)]
    assert others
    for model in others:
        assert client.get(reverse("admin:{}_{}_changelist".format(*_info(model)))).status_code == 403, model


# --- the walk ---------------------------------------------------------------------


@pytest.mark.parametrize("direction", ["a", "b"])
def test_no_form_field_offers_a_row_of_the_other_school(two_schools, direction):
    world = two_schools
    side = _side(world, direction)
    other_rows = OtherRows(side)
    client = _client(side.user)
    problems, checked, pages = [], 0, 0
    for model, model_admin in _scoped_admins():
        info = _info(model)
        assert other_rows(model), f"no row of {model._meta.label} in the other school: the walk would prove nothing"
        urls = [reverse("admin:{}_{}_add".format(*info))]
        row = _own_row(model_admin, side.user)
        if row is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[row.pk]))
        for url in urls:
            response = client.get(url)
            if response.status_code == 403 and url.endswith("/add/"):
                continue  # the page adds nothing here
            if response.status_code != 200:
                problems.append(f"{url}: {response.status_code}")
                continue
            pages += 1
            found, n = _choice_problems(url, _forms_of(response), other_rows)
            problems += found
            checked += n
        response = client.get(reverse("admin:{}_{}_changelist".format(*info)))
        formset = response.context["cl"].formset
        if formset is not None:  # list_editable
            found, n = _choice_problems(f"{model._meta.label} list_editable", formset.forms, other_rows)
            problems += found
            checked += n
    assert not problems, "\n".join(problems)
    assert pages > 60 and checked > 150, (pages, checked)


def _relation_fields(form, model):
    for name in form.fields:
        try:
            db_field = model._meta.get_field(name)
        except Exception:
            continue
        if db_field.is_relation and db_field.concrete and (db_field.many_to_one or db_field.one_to_one
                                                           or db_field.many_to_many):
            yield name, db_field


def _labels(obj):
    labels = {str(obj)}
    for attr in ("full_name", "name", "title"):
        value = getattr(obj, attr, None)
        if isinstance(value, str) and len(value) >= 2:
            labels.add(value)
    return labels


@pytest.mark.parametrize("direction", ["a", "b"])
def test_add_views_render_nothing_of_the_other_school_from_the_query_string(two_schools, direction):
    world = two_schools
    side = _side(world, direction)
    other_rows = OtherRows(side)
    client = _client(side.user)
    problems, tried = [], 0
    for model, _model_admin in _scoped_admins():
        url = reverse("admin:{}_{}_add".format(*_info(model)))
        baseline = client.get(url)
        if baseline.status_code != 200:
            continue
        base_html = baseline.content.decode()
        for name, db_field in _relation_fields(baseline.context["adminform"].form, model):
            ids = sorted(other_rows(db_field.related_model))
            if not ids:
                continue
            target = db_field.related_model._default_manager.get(pk=ids[0])
            response = client.get(f"{url}?{name}={target.pk}")
            tried += 1
            if response.status_code != 200:
                problems.append(f"{url}?{name}=: {response.status_code}")
                continue
            html = response.content.decode()
            initial = response.context["adminform"].form.initial.get(name)
            if initial not in (None, "", []):
                problems.append(f"{url}?{name}={target.pk}: kept as the initial value {initial!r}")
            for label in _labels(target):
                if html.count(label) > base_html.count(label):
                    problems.append(f"{url}?{name}={target.pk}: shows {label!r}")
    assert not problems, "\n".join(problems)
    assert tried > 40, tried


@pytest.mark.parametrize("direction", ["a", "b"])
def test_list_filters_list_nothing_of_the_other_school(two_schools, direction):
    world = two_schools
    side = _side(world, direction)
    other_rows = OtherRows(side)
    client = _client(side.user)
    problems, related_filters = [], 0
    for model, model_admin in _scoped_admins():
        response = client.get(reverse("admin:{}_{}_changelist".format(*_info(model))))
        assert response.status_code == 200, model
        html = response.content.decode()
        if side.other.name in html:
            problems.append(f"{model._meta.label}: the changelist names {side.other.name}")
        own_rows = model_admin.get_queryset(response.wsgi_request)
        for spec in response.context["cl"].filter_specs:
            if isinstance(spec, RelatedFieldListFilter):
                related_filters += 1
                listed = {pk for pk, _label in spec.lookup_choices} & other_rows(spec.field.related_model)
                if listed:
                    problems.append(f"{model._meta.label} filter {spec.field_path}: lists {sorted(listed)}")
            elif isinstance(spec, AllValuesFieldListFilter):
                values = set(spec.lookup_choices)
                own = set(own_rows.values_list(spec.field_path, flat=True))
                if values - own:
                    problems.append(f"{model._meta.label} filter {spec.field_path}: lists {sorted(values - own)}")
    assert not problems, "\n".join(problems)
    # A filter with one entry is not shown: with one school, most are not.
    assert related_filters >= 5, related_filters


def _autocomplete_targets():
    """(source model, field) pairs the autocomplete view would answer for:
    every relation of a banwu model to a model whose admin searches."""
    for model in apps.get_models():
        if model._meta.app_label not in BANWU_APPS:
            continue
        for field in model._meta.get_fields():
            if not (field.concrete and field.is_relation and (field.many_to_one or field.one_to_one or field.many_to_many)):
                continue
            remote_admin = admin.site._registry.get(field.related_model)
            if remote_admin is not None and remote_admin.search_fields:
                yield model, field


@pytest.mark.parametrize("direction", ["a", "b"])
def test_autocomplete_returns_nothing_of_the_other_school(two_schools, direction):
    world = two_schools
    side = _side(world, direction)
    other_rows = OtherRows(side)
    client = _client(side.user)
    problems, asked = [], 0
    for model, field in _autocomplete_targets():
        page, more = 1, True
        while more:
            response = client.get(reverse("admin:autocomplete"), {
                "app_label": model._meta.app_label, "model_name": model._meta.model_name, "field_name": field.name,
                "term": "", "page": page,
            })
            asked += 1
            if response.status_code == 403 and not isinstance(admin.site._registry[field.related_model],
                                                                 SchoolScopedAdmin):
                break  # a superuser's admin (auth groups)
            if response.status_code != 200:
                problems.append(f"{model._meta.label}.{field.name}: {response.status_code}")
                break
            data = response.json()
            ids = {int(r["id"]) for r in data["results"]}
            leaked = ids & other_rows(field.related_model)
            if leaked:
                problems.append(f"{model._meta.label}.{field.name}: returns {sorted(leaked)}")
            more, page = data["pagination"]["more"], page + 1
    assert not problems, "\n".join(problems)
    assert asked > 100, asked


def _action_body(action, ids):
    return {"action": action, ACTION_CHECKBOX_NAME: [str(i) for i in ids], "index": "0",
            "post": "yes", "apply": "1", "confirm": "1", "reason": "测试"}


def _snapshot(model, ids):
    return list(model._base_manager.filter(pk__in=ids).order_by("pk").values())


@pytest.mark.parametrize("direction", ["a", "b"])
def test_actions_leave_the_other_schools_rows_alone(two_schools, direction):
    world = two_schools
    side = _side(world, direction)
    other_rows = OtherRows(side)
    client = _client(side.user)
    problems, tried = [], 0
    for model, model_admin in _scoped_admins():
        url = reverse("admin:{}_{}_changelist".format(*_info(model)))
        request = client.get(url).wsgi_request
        ids = sorted(other_rows(model))[:5]
        for action in model_admin.get_actions(request):
            before = _snapshot(model, ids)
            response = client.post(url, _action_body(action, ids))
            tried += 1
            if response.status_code >= 500:
                problems.append(f"{model._meta.label} {action}: {response.status_code}")
            if _snapshot(model, ids) != before:
                problems.append(f"{model._meta.label} {action}: changed rows of the other school")
    assert not problems, "\n".join(problems)
    assert tried > 20, tried


# --- users ----------------------------------------------------------------------


def _accounts_not_managed_here(world):
    """Accounts with a role in school A that A's administrator must not
    manage, each with the reason."""
    root = f.UserFactory(username="root", full_name="超级管理员", is_staff=True, is_superuser=True)
    f.MembershipFactory(user=root, school=world.school, role=Role.PRINCIPAL)
    shared = f.UserFactory(username="shared", full_name="两校老师")
    f.MembershipFactory(user=shared, school=world.school, role=Role.SUBJECT_TEACHER)
    f.MembershipFactory(user=shared, school=world.b.school, role=Role.SUBJECT_TEACHER)
    f.MembershipFactory(user=world.b.admin, school=world.school, role=Role.SUBJECT_TEACHER)
    co_admin = f.UserFactory(username="coadmin", full_name="同校管理员", is_staff=True)
    f.MembershipFactory(user=co_admin, school=world.school, role=Role.SCHOOL_ADMIN)
    staff = f.UserFactory(username="staffer", full_name="有后台标记的老师", is_staff=True)
    f.MembershipFactory(user=staff, school=world.school, role=Role.OFFICE)
    return {"superuser": root, "shared": shared, "other_school_admin": world.b.admin, "co_admin": co_admin,
            "staff": staff, "self": world.school_admin}


def _password_unchanged(user):
    user.refresh_from_db()
    return user.check_password(PASSWORD)


@pytest.mark.parametrize("who", ["superuser", "shared", "other_school_admin", "co_admin", "staff", "self"])
def test_user_views_refuse_accounts_the_administrator_does_not_manage(world, who):
    target = _accounts_not_managed_here(world)[who]
    username, full_name = target.username, target.full_name
    client = _client(world.school_admin)
    for name in ("accounts_user_change", "auth_user_password_change", "accounts_user_history"):
        response = client.get(reverse(f"admin:{name}", args=[target.pk]))
        assert response.status_code in (302, 403, 404), (name, response.status_code)
        # (The administrator's own name is in the page header.)
        assert who == "self" or full_name not in response.content.decode()
    client.post(reverse("admin:auth_user_password_change", args=[target.pk]),
                {"password1": "Taken-0ver-9", "password2": "Taken-0ver-9", "usable_password": "true"})
    client.post(reverse("admin:accounts_user_change", args=[target.pk]),
                {"username": "taken", "full_name": "被接管", "mobile": "13811112222", "is_active": "",
                 "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"})
    assert _password_unchanged(target)
    assert (target.username, target.full_name, target.is_active) == (username, full_name, True)
    changelist = client.get(reverse("admin:accounts_user_changelist"))
    assert target not in changelist.context["cl"].result_list
    # No role can be given to them here, and their memberships here are not the administrator's to change.
    count = Membership.objects.filter(user=target).count()
    client.post(reverse("admin:accounts_membership_add"), {"user": target.pk, "school": world.school.pk,
                                                          "role": Role.HEAD_TEACHER})
    assert Membership.objects.filter(user=target).count() == count
    membership = Membership.objects.filter(user=target, school=world.school).first()
    if membership is not None and who != "self":
        response = client.post(reverse("admin:accounts_membership_delete", args=[membership.pk]), {"post": "yes"})
        assert response.status_code == 403
        assert Membership.objects.filter(pk=membership.pk).exists()


@pytest.mark.parametrize("who", ["superuser", "shared", "other_school_admin", "co_admin", "staff"])
def test_preferences_of_accounts_not_managed_here_are_neither_seen_nor_changed(world, who):
    """A person's notification settings follow the account rule: an
    administrator sees and changes them only for accounts they manage."""
    from datetime import time

    from notifications.models import NotificationPreference

    target = _accounts_not_managed_here(world)[who]
    theirs = NotificationPreference.objects.create(user=target, quiet_start=time(22), quiet_end=time(6))
    mine = NotificationPreference.objects.create(user=world.head_teacher, quiet_start=time(22), quiet_end=time(6))
    client = _client(world.school_admin)
    listed = client.get(reverse("admin:notifications_notificationpreference_changelist")).context["cl"].result_list
    assert mine in listed  # the positive control: an account of this school alone
    assert theirs not in listed
    assert client.get(reverse("admin:notifications_notificationpreference_change", args=[mine.pk])).status_code == 200
    response = client.get(reverse("admin:notifications_notificationpreference_change", args=[theirs.pk]))
    assert response.status_code in (302, 403, 404)
    client.post(reverse("admin:notifications_notificationpreference_change", args=[theirs.pk]),
                {"quiet_start": "08:00", "quiet_end": "20:00", "channels_off": "[]"})
    theirs.refresh_from_db()
    assert (theirs.quiet_start, theirs.quiet_end) == (time(22), time(6))


def test_administrator_manages_an_account_of_their_school_only(world):
    """The positive side: a teacher whose only roles are in school A."""
    client = _client(world.school_admin)
    teacher = world.head_teacher
    assert client.get(reverse("admin:accounts_user_change", args=[teacher.pk])).status_code == 200
    response = client.post(reverse("admin:auth_user_password_change", args=[teacher.pk]),
                           {"password1": "New-pass-8421x", "password2": "New-pass-8421x", "usable_password": "true"})
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert teacher.check_password("New-pass-8421x")
    response = client.post(reverse("admin:accounts_membership_add"),
                           {"user": teacher.pk, "school": world.school.pk, "role": Role.COUNSELLOR})
    assert response.status_code == 302
    assert Membership.objects.filter(user=teacher, school=world.school, role=Role.COUNSELLOR).exists()
    assert AuditEvent.objects.filter(action="accounts.role.granted", target_id=str(teacher.pk)).exists()


def test_administrator_cannot_appoint_administrators(world):
    client = _client(world.school_admin)
    response = client.get(reverse("admin:accounts_membership_add"))
    assert f'value="{Role.SCHOOL_ADMIN}"' not in response.content.decode()
    client.post(reverse("admin:accounts_membership_add"),
                {"user": world.head_teacher.pk, "school": world.school.pk, "role": Role.SCHOOL_ADMIN})
    assert not Membership.objects.filter(user=world.head_teacher, role=Role.SCHOOL_ADMIN).exists()
    world.head_teacher.refresh_from_db()
    assert not world.head_teacher.is_staff


def test_staff_and_superuser_flags_are_read_only_for_the_administrator(world):
    client = _client(world.school_admin)
    teacher = world.head_teacher
    client.post(reverse("admin:accounts_user_change", args=[teacher.pk]), {
        "username": teacher.username, "full_name": teacher.full_name, "is_active": "on", "is_staff": "on",
        "is_superuser": "on", "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
    })
    teacher.refresh_from_db()
    assert not teacher.is_staff and not teacher.is_superuser


def test_a_new_account_gets_a_role_in_the_administrators_school(world):
    client = _client(world.school_admin)
    body = {
        "username": "newteacher", "full_name": "新老师", "mobile": "", "password1": "Fresh-pass-8421",
        "password2": "Fresh-pass-8421", "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "1", "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-school": world.b.school.pk, "memberships-0-role": Role.HEAD_TEACHER,
    }
    client.post(reverse("admin:accounts_user_add"), body)
    assert not User.objects.filter(username="newteacher").exists()  # not in school B
    client.post(reverse("admin:accounts_user_add"), {**body, "memberships-0-school": "", "memberships-0-role": ""})
    assert not User.objects.filter(username="newteacher").exists()  # not without a role
    response = client.post(reverse("admin:accounts_user_add"), {**body, "memberships-0-school": world.school.pk})
    assert response.status_code == 302
    user = User.objects.get(username="newteacher")
    assert list(user.memberships.values_list("school_id", "role")) == [(world.school.pk, Role.HEAD_TEACHER)]
    assert client.get(response["Location"]).status_code == 200


# --- the takeover paths of the issue, one by one ------------------------------------


def test_takeover_superuser_with_a_role_here_cannot_be_reset(world):
    """Issue 10: a school administrator could set the password, username,
    mobile and active flag of a superuser with a role in their school."""
    root = f.UserFactory(username="root", full_name="超级管理员", is_staff=True, is_superuser=True)
    f.MembershipFactory(user=root, school=world.school, role=Role.PRINCIPAL)
    client = _client(world.school_admin)
    client.post(reverse("admin:auth_user_password_change", args=[root.pk]),
                {"password1": "Taken-0ver-9", "password2": "Taken-0ver-9", "usable_password": "true"})
    client.post(reverse("admin:accounts_user_change", args=[root.pk]),
                {"username": "root", "full_name": "x", "mobile": "13811112222", "is_active": "on",
                 "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"})
    assert _password_unchanged(root)
    assert root.mobile is None
    # The same two forms change an account this administrator manages.
    teacher = world.head_teacher
    client.post(reverse("admin:auth_user_password_change", args=[teacher.pk]),
                {"password1": "Taken-0ver-9", "password2": "Taken-0ver-9", "usable_password": "true"})
    teacher.refresh_from_db()
    assert teacher.check_password("Taken-0ver-9")


def test_takeover_account_of_another_school_cannot_be_given_a_role_here(world):
    """Issue 10: the membership form accepted any user id of the installation."""
    client = _client(world.school_admin)
    for target in (world.b.head_teacher, world.b.admin):
        client.post(reverse("admin:accounts_membership_add"),
                    {"user": target.pk, "school": world.school.pk, "role": Role.HEAD_TEACHER})
        assert not Membership.objects.filter(user=target, school=world.school).exists()
    # The same form for an account of this school alone does give the role.
    response = client.post(reverse("admin:accounts_membership_add"),
                           {"user": world.head_teacher.pk, "school": world.school.pk, "role": Role.COUNSELLOR})
    assert response.status_code == 302
    assert Membership.objects.filter(user=world.head_teacher, school=world.school, role=Role.COUNSELLOR).exists()


@pytest.mark.parametrize("who", ["shared", "other_school_admin"])
def test_takeover_account_shared_with_another_school_cannot_be_reset(world, who):
    """Issue 10: people with roles in two schools could be reset by either
    school's administrator, the other school's administrator included."""
    target = _accounts_not_managed_here(world)[who]
    response = _client(world.school_admin).post(
        reverse("admin:auth_user_password_change", args=[target.pk]),
        {"password1": "Taken-0ver-9", "password2": "Taken-0ver-9", "usable_password": "true"},
    )
    assert response.status_code in (403, 404)
    assert _password_unchanged(target)


def test_takeover_add_view_does_not_show_another_schools_account(world):
    """Issue 10: `…/add/?user=<id>` showed any account's full name."""
    client = _client(world.school_admin)
    page = client.get(reverse("admin:students_student_add") + f"?user={world.b.parent.pk}").content.decode()
    assert world.b.parent.full_name not in page
    page = client.get(reverse("admin:accounts_membership_add") + f"?user={world.b.head_teacher.pk}").content.decode()
    assert world.b.head_teacher.full_name not in page
    # An account of the school itself still shows (the widget works).
    page = client.get(reverse("admin:students_student_add") + f"?user={world.parent.pk}").content.decode()
    assert world.parent.full_name in page


def test_takeover_other_schools_head_teacher_cannot_teach_here(world):
    """Issue 10: another school's head teacher could be made a teacher here."""
    client = _client(world.school_admin)
    client.post(reverse("admin:classes_teachingassignment_add"), {
        "school": world.school.pk, "term": world.term.pk, "school_class": world.class2.pk,
        "teacher": world.b.head_teacher.pk, "subject": "音乐",
    })
    assert not world.b.head_teacher.assignments.filter(school=world.school).exists()


def test_takeover_other_schools_committee_members_cannot_attend_here(two_schools):
    """Issue 10: another school's committee members could be made attendees."""
    world = two_schools
    meeting = world.built.a.side[1].committee_meeting
    b_member = world.built.b.side[1].member
    client = _client(world.school_admin)
    url = reverse("admin:home_school_committeemeeting_change", args=[meeting.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    body = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if name == "attendees":
            continue
        if hasattr(field.widget, "decompress"):  # a date and a time
            for index, part in enumerate(field.widget.decompress(value)):
                body[f"{name}_{index}"] = "" if part is None else part
        else:
            body[name] = "" if value is None else value
    assert b_member.pk not in set(form.fields["attendees"].queryset.values_list("pk", flat=True))
    response = client.post(url, {**body, "attendees": str(b_member.pk)})
    assert response.status_code == 200  # the form, with an error
    assert not meeting.attendees.filter(pk=b_member.pk).exists()
    # The same body with a member of the school's own committee is saved.
    a_member = world.built.a.side[1].member
    response = client.post(url, {**body, "attendees": str(a_member.pk)})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(meeting.attendees.all()) == [a_member]


def test_takeover_filter_sidebars_list_no_other_school(world):
    """Issue 10: filter sidebars listed every school, its years and grades."""
    client = _client(world.school_admin)
    for name in ("classes_schoolyear", "classes_schoolclass", "students_enrollment", "accounts_membership"):
        page = client.get(reverse(f"admin:{name}_changelist")).content.decode()
        assert world.b.school.name not in page, name
        assert f"school__id__exact={world.b.school.pk}" not in page, name


def test_takeover_autocomplete_offers_no_account_of_another_school(world):
    client = _client(world.school_admin)
    for model_name, field in (("membership", "user"), ("teachingassignment", "teacher")):
        app = "accounts" if model_name == "membership" else "classes"
        data = client.get(reverse("admin:autocomplete"), {"app_label": app, "model_name": model_name,
                                                          "field_name": field, "term": "B校"}).json()
        assert data["results"] == [], (model_name, data)


# --- ids past what a database holds -------------------------------------------------


def _overflow_requests(model, model_admin, client):
    info = _info(model)
    add = reverse("admin:{}_{}_add".format(*info))
    changelist = reverse("admin:{}_{}_changelist".format(*info))
    for name in ("change", "history", "delete"):
        yield "get", reverse("admin:{}_{}_{}".format(*info, name), args=[BIG]), None
    page = client.get(add)
    if page.status_code == 200:
        names = [name for name, _ in _relation_fields(page.context["adminform"].form, model)]
        for name in names:
            yield "get", f"{add}?{name}={BIG}", None
            yield "get", f"{add}?{name}=1,{BIG}", None
        yield "post", add, {name: BIG for name in names}
    for spec in model_admin.list_filter:
        path = spec[0] if isinstance(spec, tuple) else spec
        if isinstance(path, str):
            yield "get", f"{changelist}?{path}__id__exact={BIG}", None
            yield "get", f"{changelist}?{path}__exact={BIG}", None
            yield "get", f"{changelist}?{path}={BIG}", None
    yield "get", f"{changelist}?p={BIG}", None
    yield "post", changelist, {"action": "delete_selected", ACTION_CHECKBOX_NAME: [BIG, "1"], "index": "0"}
    for action in model_admin.actions or ():
        action_name = action if isinstance(action, str) else action.__name__
        yield "post", changelist, _action_body(action_name, [BIG])
    if model_admin.list_editable:
        yield "post", changelist, {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": BIG, "_save": "1"}
    if model is User:
        yield "get", reverse("admin:auth_user_password_change", args=[BIG]), None


@pytest.mark.parametrize("who", ["school_admin", "superuser"])
def test_overflowing_ids_are_refused_without_an_error(world, who):
    user = world.school_admin if who == "school_admin" else f.UserFactory(
        username="root", is_staff=True, is_superuser=True)
    client = _client(user)
    problems, tried = [], 0
    for model, model_admin in _scoped_admins():
        for method, url, body in list(_overflow_requests(model, model_admin, client)):
            response = client.get(url) if method == "get" else client.post(url, body)
            tried += 1
            if response.status_code >= 500 or response.has_header("X-Refused-By"):
                problems.append(f"{method} {url} {body or ''}: {response.status_code}")
    autocomplete = {"app_label": "accounts", "model_name": "membership", "field_name": "user", "page": BIG}
    assert client.get(reverse("admin:autocomplete"), autocomplete).status_code == 404
    assert not problems, "\n".join(problems)
    assert tried > 300, tried


# --- constraint messages ----------------------------------------------------------------


def test_admin_shows_a_constraints_message_not_its_name(world):
    client = _client(world.school_admin)
    response = client.post(reverse("admin:classes_schoolyear_add"), {
        "school": world.school.pk, "name": "2027-2028", "start_date": "2027-09-01", "end_date": "2027-08-01",
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "schoolyear_dates_ordered" not in html
    with translation.override("zh-hans"):
        message = str(SchoolYearMessage())
    assert message in html
    assert re.search("[\u4e00-\u9fff]", message), "no Chinese translation compiled for the message"


def SchoolYearMessage():
    from classes.models import SchoolYear

    (constraint,) = [c for c in SchoolYear._meta.constraints if c.name == "schoolyear_dates_ordered"]
    return constraint.violation_error_message
