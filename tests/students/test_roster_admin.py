"""The roster import in the Django admin: who may upload, the progress
page, the one-time credentials download."""

import datetime
import io
import random
import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import AuditEvent, Role
from config.celery import app as celery_app
from students.models import RosterImport, Student
from students.roster.sealing import seal, unseal
from students.roster.services import roster_import_create, roster_import_run, roster_imports_purge
from tests import factories as f

from .test_roster_import import GOOD_ROWS, csv_bytes

SEALED = {"sealed_credentials": seal([{"password": "x"}]), "credentials_count": 1}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def eager_celery():
    """Tasks run in the test process when their transaction commits."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture
def admin_a(world, client_for):
    client = client_for(world.school_admin)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def admin_b(world, client_for):
    client = client_for(world.b.admin)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def upload(client, school, content, name="roster.csv"):
    return client.post(
        reverse("admin:students_rosterimport_upload"), {"school": school.pk, "file": SimpleUploadedFile(name, content)}
    )


def test_school_admin_uploads_and_the_task_imports_the_file(
    world, admin_a, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = upload(admin_a, world.school, csv_bytes(GOOD_ROWS))

    assert len(callbacks) == 1  # the task is sent once the upload is committed
    roster_import = RosterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:students_rosterimport_progress", args=[roster_import.pk])
    assert (roster_import.school, roster_import.uploaded_by, roster_import.file_name) == (
        world.school,
        world.school_admin,
        "roster.csv",
    )
    assert roster_import.status == RosterImport.Status.DONE
    # The uploaded file is gone once the import ended (0 days kept by default).
    assert bytes(roster_import.content) == b"" and roster_import.file_deleted_at is not None
    assert Student.objects.filter(student_number__in=["20260201", "20260202", "20260203"]).count() == 3


@pytest.mark.without_request_key
def test_the_same_upload_sent_twice_queues_one_import(world, admin_a):
    """A double tap, or a browser sending the form again after a lost answer."""
    page = admin_a.get(reverse("admin:students_rosterimport_upload")).content.decode()
    key = re.search(r'name="request_key" value="([^"]+)"', page).group(1)
    answers = [
        admin_a.post(reverse("admin:students_rosterimport_upload"),
                     {"school": world.school.pk, "file": SimpleUploadedFile("roster.csv", csv_bytes(GOOD_ROWS)),
                      "request_key": key})
        for _ in range(2)
    ]

    roster_import = RosterImport.objects.get()
    assert [a["Location"] for a in answers] == [reverse("admin:students_rosterimport_progress", args=[roster_import.pk])] * 2


def test_progress_page_polls_until_finished_then_shows_the_counts(world, admin_a):
    roster_import = roster_import_create(
        school=world.school, uploaded_by=world.school_admin, file_name="roster.csv", content=csv_bytes(GOOD_ROWS)
    )
    RosterImport.objects.filter(pk=roster_import.pk).update(status="validating", total_rows=3, processed_rows=2)
    fragment_url = reverse("admin:students_rosterimport_progress_fragment", args=[roster_import.pk])

    page = admin_a.get(reverse("admin:students_rosterimport_progress", args=[roster_import.pk]))
    running = admin_a.get(fragment_url)

    assert page.status_code == 200
    assert "vendor/htmx/htmx.min.js" in page.content.decode()
    html = running.content.decode()
    assert f'hx-get="{fragment_url}"' in html and 'hx-trigger="every 1s"' in html
    assert "2 of 3 rows checked" in html

    RosterImport.objects.filter(pk=roster_import.pk).update(status="queued", processed_rows=0)
    roster_import_run(import_id=roster_import.pk)
    done = admin_a.get(fragment_url).content.decode()

    assert "hx-trigger" not in done
    assert 'data-status="done"' in done
    assert "3 created, 0 updated, 0 unchanged" in done
    assert "Download initial passwords" in done


def test_rejected_file_shows_every_problem(world, admin_a):
    content = csv_bytes([GOOD_ROWS[0][:8] + ["123"] + GOOD_ROWS[0][9:], GOOD_ROWS[1][:5] + ["9"] + GOOD_ROWS[1][6:]])
    roster_import = roster_import_create(school=world.school, uploaded_by=world.school_admin, file_name="a.csv", content=content)

    roster_import_run(import_id=roster_import.pk)
    html = admin_a.get(reverse("admin:students_rosterimport_progress_fragment", args=[roster_import.pk])).content.decode()

    assert "Nothing was saved: the file has 2 problems." in html
    assert html.count('class="roster-error"') == 2
    assert "Row 2, column “监护人1手机”: a mobile number has 11 digits, e.g. 13800138000" in html
    assert "Row 3, column “班级”: there is no class 六(9)班" in html
    assert "Download initial passwords" not in html


def test_initial_passwords_download_once(world, admin_a, eager_celery, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin_a, world.school, csv_bytes(GOOD_ROWS))
    roster_import = RosterImport.objects.get()
    url = reverse("admin:students_rosterimport_credentials", args=[roster_import.pk])

    assert admin_a.get(url).status_code == 405  # a download that clears the copy is a POST
    first = admin_a.post(url)

    assert first.status_code == 200
    assert first["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(first.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Login name", "Name", "Role", "Mobile", "Students", "Classes", "One-time password")
    by_login = {row[0]: row for row in rows[1:]}
    assert set(by_login) == {"13900000201", "13900000202", "13900000203"}
    assert by_login["13900000201"][4] == "林小满、林小乐"
    assert len(by_login["13900000201"][6]) == 11

    second = admin_a.post(url)

    assert second.status_code == 302
    assert second["Content-Type"] != XLSX
    assert [str(m) for m in get_messages(second.wsgi_request)] == [
        "The initial passwords were already downloaded; they are not kept after that."
    ]
    roster_import.refresh_from_db()
    assert roster_import.credentials_count == 0 and bytes(roster_import.sealed_credentials) == b""
    event = AuditEvent.objects.get(action="students.roster.credentials_taken")
    assert (event.actor, event.data) == (world.school_admin, {"accounts": 3})
    fragment = admin_a.get(reverse("admin:students_rosterimport_progress_fragment", args=[roster_import.pk]))
    assert "Download initial passwords" not in fragment.content.decode()


def test_another_admin_of_the_school_cannot_take_the_uploaders_passwords(world, client_for):
    colleague = f.UserFactory(username="admin2", is_staff=True)
    f.MembershipFactory(user=colleague, school=world.school, role=Role.SCHOOL_ADMIN)
    roster_import = roster_import_create(school=world.school, uploaded_by=world.school_admin, file_name="a.csv", content=b"x")
    RosterImport.objects.filter(pk=roster_import.pk).update(status="done", **SEALED)

    response = client_for(colleague).post(reverse("admin:students_rosterimport_credentials", args=[roster_import.pk]))

    assert response.status_code == 403
    roster_import.refresh_from_db()
    assert unseal(roster_import.sealed_credentials) == [{"password": "x"}]


def test_admin_of_another_school_gets_404_on_the_import(world, admin_b):
    roster_import = roster_import_create(school=world.school, uploaded_by=world.school_admin, file_name="a.csv", content=b"x")
    RosterImport.objects.filter(pk=roster_import.pk).update(status="done", **SEALED)

    for name, method in (
        ("progress", admin_b.get),
        ("progress_fragment", admin_b.get),
        ("credentials", admin_b.post),
        ("change", admin_b.get),
    ):
        url = reverse(f"admin:students_rosterimport_{name}", args=[roster_import.pk])
        response = method(url)
        assert response.status_code in (404, 302), name
        if response.status_code == 302:  # the admin's change view redirects an unknown id to the index
            assert response["Location"] == reverse("admin:index")
    assert roster_import.file_name not in admin_b.get(reverse("admin:students_rosterimport_changelist")).content.decode()
    roster_import.refresh_from_db()
    assert unseal(roster_import.sealed_credentials) == [{"password": "x"}]


def test_admin_cannot_upload_for_another_school(world, admin_b):
    response = upload(admin_b, world.school, csv_bytes(GOOD_ROWS))

    assert response.status_code == 200
    assert "school" in response.context["form"].errors
    assert not RosterImport.objects.exists()
    choices = [choice for choice, _ in response.context["form"].fields["school"].choices if choice]
    assert [c.value for c in choices] == [world.b.school.pk]


def test_superuser_may_upload_for_any_school(world, client_for):
    root = f.UserFactory(username="root", is_staff=True, is_superuser=True)

    response = client_for(root).get(reverse("admin:students_rosterimport_upload"))

    assert response.status_code == 200
    assert set(response.context["form"].fields["school"].queryset) == {world.school, world.b.school}


def test_staff_without_the_school_admin_role_cannot_reach_the_import(world, client_for):
    staff = f.UserFactory(username="clerk", is_staff=True)
    f.MembershipFactory(user=staff, school=world.school, role=Role.OFFICE)
    roster_import = roster_import_create(school=world.school, uploaded_by=world.school_admin, file_name="a.csv", content=b"x")

    client = client_for(staff)
    assert client.get(reverse("admin:students_rosterimport_upload")).status_code == 403
    assert client.get(reverse("admin:students_rosterimport_progress", args=[roster_import.pk])).status_code == 403
    # A head teacher is not staff at all: the admin sends them to its login page.
    response = client_for(world.head_teacher).get(reverse("admin:students_rosterimport_upload"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_upload_form_refuses_a_file_that_is_not_a_spreadsheet(world, admin_a):
    response = upload(admin_a, world.school, random.Random(3).randbytes(3000), name="roster.xlsx")

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "The file is neither a CSV nor an XLSX file. Save it from Excel or WPS as “Excel workbook (.xlsx)” or as “CSV”."
    ]
    assert not RosterImport.objects.exists()


def test_upload_form_refuses_a_file_over_the_limit(world, admin_a, settings):
    settings.ROSTER_MAX_BYTES = 100

    response = upload(admin_a, world.school, csv_bytes(GOOD_ROWS))

    assert "the limit is 100" in response.context["form"].errors["file"][0]
    assert not RosterImport.objects.exists()


def test_student_changelist_links_the_import_page(world, admin_a):
    response = admin_a.get(reverse("admin:students_student_changelist"))

    assert response.status_code == 200
    assert reverse("admin:students_rosterimport_upload") in response.content.decode()


def test_import_list_shows_only_the_admins_school_in_constant_queries(world, admin_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def list_page():
        with CaptureQueriesContext(connection) as queries:
            response = admin_a.get(reverse("admin:students_rosterimport_changelist"))
        assert response.status_code == 200
        return response, len(queries)

    roster_import_create(school=world.school, uploaded_by=world.school_admin, file_name="a0.csv", content=b"x")
    roster_import_create(school=world.b.school, uploaded_by=world.b.admin, file_name="b.csv", content=b"x")
    list_page()  # the first request of a session also writes the session
    _, few = list_page()
    for n in range(1, 6):
        roster_import_create(school=world.school, uploaded_by=world.school_admin, file_name=f"a{n}.csv", content=b"x")
    response, many = list_page()

    html = response.content.decode()
    assert "a0.csv" in html and "a5.csv" in html and "b.csv" not in html
    assert few == many
    # The stored files are never loaded for the list.
    assert "content" in response.context["cl"].queryset.query.deferred_loading[0]


def test_a_kept_file_is_downloaded_by_the_schools_admin_until_it_is_purged(world, admin_a, admin_b):
    header = "学号,姓名,身份证号,年级,班级\r\n"
    content = (header + "20260301,林一,110101201403050021,六年级,2\r\n").encode()
    roster_import = roster_import_create(
        school=world.school, uploaded_by=world.school_admin, file_name="a.csv", content=content, keep_file_days=3
    )
    roster_import_run(import_id=roster_import.pk)
    url = reverse("admin:students_rosterimport_file", args=[roster_import.pk])
    assert url in admin_a.get(reverse("admin:students_rosterimport_progress_fragment", args=[roster_import.pk])).content.decode()

    response = admin_a.get(url)

    assert response.status_code == 200 and response["Content-Type"] == XLSX
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1] == (2, "20260301", "林一", "六年级", "2")
    assert "110101201403050021" not in repr(rows)
    assert AuditEvent.objects.filter(action="students.roster.file_downloaded", actor=world.school_admin).count() == 1
    assert admin_b.get(url).status_code == 404

    roster_imports_purge(now=timezone.now() + datetime.timedelta(days=4))
    assert admin_a.get(url).status_code == 404
