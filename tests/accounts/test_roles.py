"""One vocabulary for roles (accounts.roles): every group of roles is named
there, and the parts ask `holds(user, school, GROUP)`; the shared doors
(staff, guardian) and a guardian's children are written once."""

import re
from pathlib import Path

import pytest

from accounts import policies, roles
from accounts.models import STAFF_ROLES, Role

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "classes", "students", "moral_ed", "home_school", "notifications", "core")
# Spellings of a group of roles, or of a role check, outside accounts.roles.
SPELLINGS = {
    "a role check that is not holds()": re.compile(r"\bhas_role\("),
    "two roles side by side": re.compile(r"Role\.[A-Z_]+\s*,\s*Role\.[A-Z_]+"),
    "a set of roles": re.compile(r"\{\s*Role\.[A-Z_]+"),
    "a list of roles in a query": re.compile(r"role__in=\[\s*Role\."),
}
# Where roles are data, not a check: the demo school's plan of who gets
# which roles, and the committee's own ordering of its members' roles.
NOT_CHECKS = {"demo/school.py"}


def _code_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative == "accounts/roles.py" or relative in NOT_CHECKS:
                continue
            yield relative, path.read_text(encoding="utf-8")


def test_no_group_of_roles_is_spelled_outside_the_roles_module():
    found = [
        f"{name}:{number}: {what}: {line.strip()}"
        for name, text in _code_files()
        for number, line in enumerate(text.splitlines(), start=1)
        for what, pattern in SPELLINGS.items()
        if pattern.search(line)
    ]
    assert not found, "\n".join(found)


def test_the_grep_finds_a_group_spelled_by_hand():
    """The test above can fail: each spelling it looks for is found in a
    line written the old way."""
    old_ways = [
        "if has_role(user, school, Role.OFFICE):",
        "return holds(user, school, frozenset({Role.OFFICE, Role.PRINCIPAL}))",
        "if roles & {Role.HEAD_TEACHER}:",
        "User.objects.filter(memberships__role__in=[Role.HEAD_TEACHER])",
    ]
    assert all(any(p.search(line) for p in SPELLINGS.values()) for line in old_ways)


def test_the_shared_doors_are_written_once():
    """require_staff and require_guardian exist in accounts.policies alone;
    the parts' policies modules hand on the same function."""
    definitions = [
        name
        for name, text in _code_files()
        if re.search(r"^def (require_staff|require_guardian)\(", text, re.M)
    ]
    assert definitions == ["accounts/policies.py"]
    from classes import policies as class_policies
    from home_school.policies import committee, meetings, messaging, notices

    assert class_policies.require_staff is policies.require_staff
    for module in (committee, meetings, messaging, notices):
        assert module.require_guardian is policies.require_guardian


def test_a_guardians_children_are_spelled_once():
    found = [
        name
        for name, text in _code_files()
        if re.search(r"Guardianship\.objects\.filter\(school(?:_id)?=[^,]+, guardian__user=", text)
    ]
    assert found == ["students/selectors.py"]


def test_the_groups_are_the_table_of_the_module():
    """Every group named in the module's table exists, and the office is the office alone."""
    table = re.findall(r"^\| ([A-Z_, ]+) \|", roles.__doc__, re.M)
    named = {name.strip() for row in table for name in row.split(",") if name.strip() != "group"}
    assert named and all(isinstance(getattr(roles, name), frozenset) for name in named)
    assert roles.OFFICE == {Role.OFFICE}
    assert Role.SCHOOL_ADMIN not in roles.OFFICE and Role.SCHOOL_ADMIN in roles.OFFICE_OR_ADMIN
    assert roles.STAFF == STAFF_ROLES


@pytest.mark.parametrize(
    ("who", "group", "expected"),
    [
        ("office", roles.OFFICE, True),
        ("school_admin", roles.OFFICE, False),
        ("school_admin", roles.OFFICE_OR_ADMIN, True),
        ("head_teacher", roles.TEACHERS, True),
        ("head_teacher", roles.LEADERSHIP, False),
        ("parent", roles.GUARDIANS, True),
        ("parent", roles.STAFF, False),
    ],
)
def test_holds_answers_for_the_roles_held_in_the_school(world, who, group, expected):
    assert roles.holds(getattr(world, who), world.school, group) is expected
    assert roles.holds(getattr(world, who), world.b.school, group) is False  # nothing in another school
