"""The class page's buttons come from the parts above classes
and a school opened in the admin gets moral_ed's default rule tables
(both through classes.extensions): classes imports neither."""

import pytest
from django.urls import reverse

from classes import extensions as page
from classes.models import School
from moral_ed.models import ConductItem, DormItem, InspectionItem
from tests import factories as f


def test_the_head_teacher_sees_the_conduct_points_button(world, head_teacher_client):
    response = head_teacher_client.get(reverse("classes:class_detail", args=[world.class1.pk]), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert reverse("moral_ed:class_entry", args=[world.class1.pk]) in response.content.decode()
    assert [a["label"] for a in response.context["actions"]] == ["Conduct points"]


def test_the_counsellor_sees_the_class_without_the_button(world, counsellor_client):
    response = counsellor_client.get(reverse("classes:class_detail", args=[world.class1.pk]))

    assert response.status_code == 200
    assert response.context["actions"] == []
    assert reverse("moral_ed:class_entry", args=[world.class1.pk]) not in response.content.decode()


def test_the_subject_teacher_may_record_and_sees_the_button(world):
    actions = page.actions_for(world.subject_teacher, world.school, world.class1)

    assert [a["url"] for a in actions] == [reverse("moral_ed:class_entry", args=[world.class1.pk])]
    assert page.actions_for(world.subject_teacher, world.school, world.class2) == []


def test_another_action_under_a_taken_name_is_refused():
    taken = page._actions["moral_ed.conduct_points"]
    with pytest.raises(ValueError):
        page.action_register(page.ClassPageAction(name=taken.name, label="x", url_name="classes:class_list", allowed=taken.allowed))
    page.action_register(taken)  # the same one again: nothing happens
    assert page._actions["moral_ed.conduct_points"] is taken


def test_a_school_opened_in_the_admin_gets_the_default_rule_tables(db, client):
    superuser = f.UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(superuser)

    response = client.post(reverse("admin:classes_school_add"), {"code": "N01", "name": "新开学校", "is_active": "on"})

    assert response.status_code == 302, response.content.decode()[:2000]
    school = School.objects.get(code="N01")
    assert ConductItem.objects.filter(school=school).exists()
    assert InspectionItem.objects.filter(school=school).exists()
    assert DormItem.objects.filter(school=school).exists()


def test_a_school_made_elsewhere_gets_no_defaults(db):
    """Opening is the admin's: factories and imports open no rule tables."""
    school = f.SchoolFactory()
    assert not ConductItem.objects.filter(school=school).exists()
