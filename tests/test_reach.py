"""Each role's reach, by every URL that takes an id.

The table says, for each person, what each page answers for each object:
200 (may see), 403 (may see the page type but not this action), 404 (may
not know it exists), 302 (must log in). A person of school A reaches
nothing of school B.
"""

import pytest
from django.test import Client
from django.urls import reverse

# URL name → which object of the world its id comes from
URLS = {
    "classes:class_detail": "class",
    "classes:class_roster_export": "class",
    "students:student_detail": "student",
    "home_school:portal_child": "student",
}

CLASSES = {"own": "class1", "other": "class2", "other_school": "b.class1"}
STUDENTS = {"own": "child", "other": "other_child", "other_school": "b.child"}

# person → {url name → (own, other, other_school)}
EXPECTED = {
    "anonymous": {name: (302, 302, 302) for name in URLS},
    "head_teacher": {
        "classes:class_detail": (200, 404, 404),
        "classes:class_roster_export": (200, 404, 404),
        "students:student_detail": (200, 404, 404),
        "home_school:portal_child": (403, 403, 403),
    },
    "other_head_teacher": {
        "classes:class_detail": (404, 200, 404),
        "classes:class_roster_export": (404, 200, 404),
        "students:student_detail": (404, 200, 404),
        "home_school:portal_child": (403, 403, 403),
    },
    "subject_teacher": {
        "classes:class_detail": (200, 404, 404),
        "classes:class_roster_export": (403, 404, 404),
        "students:student_detail": (200, 404, 404),
        "home_school:portal_child": (403, 403, 403),
    },
    "parent": {
        "classes:class_detail": (403, 403, 403),
        "classes:class_roster_export": (403, 403, 403),
        "students:student_detail": (403, 403, 403),
        "home_school:portal_child": (200, 404, 404),
    },
    "other_parent": {
        "classes:class_detail": (403, 403, 403),
        "classes:class_roster_export": (403, 403, 403),
        "students:student_detail": (403, 403, 403),
        "home_school:portal_child": (404, 200, 404),
    },
    "student_user": {
        "classes:class_detail": (403, 403, 403),
        "classes:class_roster_export": (403, 403, 403),
        "students:student_detail": (403, 403, 403),
        "home_school:portal_child": (200, 404, 404),
    },
    "office": {
        "classes:class_detail": (200, 200, 404),
        "classes:class_roster_export": (200, 200, 404),
        "students:student_detail": (200, 200, 404),
        "home_school:portal_child": (403, 403, 403),
    },
    "counsellor": {
        "classes:class_detail": (200, 200, 404),
        "classes:class_roster_export": (403, 403, 404),
        "students:student_detail": (200, 200, 404),
        "home_school:portal_child": (403, 403, 403),
    },
    "principal": {
        "classes:class_detail": (200, 200, 404),
        "classes:class_roster_export": (403, 403, 404),
        "students:student_detail": (200, 200, 404),
        "home_school:portal_child": (403, 403, 403),
    },
    "b.office": {
        "classes:class_detail": (404, 404, 200),
        "classes:class_roster_export": (404, 404, 200),
        "students:student_detail": (404, 404, 200),
        "home_school:portal_child": (403, 403, 403),
    },
    "b.parent": {
        "classes:class_detail": (403, 403, 403),
        "classes:class_roster_export": (403, 403, 403),
        "students:student_detail": (403, 403, 403),
        "home_school:portal_child": (404, 404, 200),
    },
}


def _get(world, dotted):
    obj = world
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


CASES = [
    (person, url_name, which, index)
    for person, table in EXPECTED.items()
    for url_name in URLS
    for index, which in enumerate(("own", "other", "other_school"))
]


@pytest.mark.parametrize("person, url_name, which, index", CASES, ids=[f"{p}-{u}-{w}" for p, u, w, _ in CASES])
def test_reach_by_url(world, person, url_name, which, index):
    kind = URLS[url_name]
    target = _get(world, (CLASSES if kind == "class" else STUDENTS)[which])
    client = Client()
    if person != "anonymous":
        client.force_login(_get(world, person))
    response = client.get(reverse(url_name, args=[target.pk]))
    assert response.status_code == EXPECTED[person][url_name][index]


def test_every_url_with_an_id_is_in_the_table():
    """A new URL that takes an id must be added to this test."""
    from django.urls import get_resolver

    ours = set()

    def walk(patterns, namespace=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                if p.namespace and p.namespace != "admin":
                    walk(p.url_patterns, p.namespace)
            elif namespace and "<" in str(p.pattern):
                if "uidb64" not in str(p.pattern):
                    ours.add(f"{namespace}:{p.name}")

    walk(get_resolver().url_patterns)
    assert ours <= set(URLS), f"add these to tests/test_reach.py: {sorted(ours - set(URLS))}"


def test_student_search_lists_only_reachable_students(world, head_teacher_client, office_client):
    url = reverse("students:student_list")
    page = head_teacher_client.get(url).content.decode()
    assert "陈小雨" in page and "周子涵" in page
    assert "吴浩然" not in page and "B校学生" not in page
    page = office_client.get(url).content.decode()
    assert "吴浩然" in page and "B校学生" not in page
    assert "吴浩然" not in office_client.get(url, {"q": "陈"}).content.decode()


def test_class_list_shows_only_own_classes_to_a_head_teacher(world, head_teacher_client, office_client):
    url = reverse("classes:class_list")
    page = head_teacher_client.get(url).content.decode()
    assert "六(1)班" in page and "六(2)班" not in page
    page = office_client.get(url).content.decode()
    assert "六(1)班" in page and "六(2)班" in page


def test_guardian_contacts_are_masked_for_a_subject_teacher(world, client_for):
    url = reverse("students:student_detail", args=[world.child.pk])
    assert "13900000001" in client_for(world.head_teacher).get(url).content.decode()
    page = client_for(world.subject_teacher).get(url).content.decode()
    assert "13900000001" not in page and "139****0001" in page
