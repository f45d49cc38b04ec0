"""Uploads and exports.

Uploads: the attachment check itself (SVG, HTML named .png, x.php.jpg,
empty, oversize, decompression bombs, re-encoding) is tested in
tests/home_school/test_messaging_attachments.py; here the same corpus
goes through the staff and portal views, and the storage rule is pinned:
user files live in the database behind views that check reach, never
under a public MEDIA_URL.

Exports: every spreadsheet a person can download (each URL of the
permission matrix that answers with XLSX or CSV) is fetched with a
formula-like value in every text field: no cell is a formula or starts
like one.
"""

import io
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from openpyxl import load_workbook

from core.exports import FORMULA_TRIGGERS, xlsx_bytes
from home_school.models import Attachment, Message
from tests.home_school.messaging_fixtures import HTML, PDF, PHP, SVG, png_bomb, png_bytes, upload
from tests.permissions.table import URLS
from tests.permissions.test_table import quiet_refusals, url_names  # noqa: F401 (a fixture)
from tests.permissions.world import NOW, build, people, target

from .test_xss import FIELDS

# --- Uploads through the views ----------------------------------------------------------------------

GIF_HTML = b"GIF89a" + b"<html><script>alert(1)</script></html>"
CORPUS = [
    ("drawing.svg", SVG, "image/svg+xml"),
    ("page.png", HTML, "image/png"),
    ("x.php.jpg", PHP, "image/jpeg"),
    ("empty.png", b"", "image/png"),
    ("bomb.png", png_bomb(), "image/png"),
    ("polyglot.gif", GIF_HTML, "image/gif"),
    ("script.html", HTML, "text/html"),
    ("trick.pdf", b"%PDF-1.4\n<script>alert(1)</script>", "application/pdf"),
]


def _send(client, url, name, data, content_type):
    return client.post(url, {"body": "见附件", "attachments": [upload(name, data, content_type)]})


@pytest.mark.parametrize(("name", "data", "content_type"), CORPUS, ids=[c[0] for c in CORPUS])
def test_refused_files_are_refused_by_staff_and_portal_pages(world, name, data, content_type, client_for):
    with time_machine.travel(NOW, tick=False):
        objects = build(world)
        own = objects.side[1]
        before = Message.objects.count(), Attachment.objects.count()
        for user, url in (
            (world.head_teacher, reverse("home_school:conversation_detail", args=[own.conversation.pk])),
            (world.parent, reverse("home_school:portal_conversation", args=[own.conversation.pk])),
            (world.subject_teacher, reverse("home_school:conversation_start", args=[world.child.pk])),
        ):
            response = _send(client_for(user), url, name, data, content_type)
            assert response.status_code == 200, (user, response.status_code)  # shown again, saying why
            assert name in response.content.decode()
        assert (Message.objects.count(), Attachment.objects.count()) == before


def test_oversized_upload_is_refused_by_the_staff_page(world, client_for, settings):
    settings.HOME_SCHOOL_ATTACHMENT_MAX_BYTES = 1024
    with time_machine.travel(NOW, tick=False):
        own = build(world).side[1]
        before = Attachment.objects.count()
        url = reverse("home_school:conversation_detail", args=[own.conversation.pk])
        response = _send(client_for(world.head_teacher), url, "big.png", png_bytes(size=(400, 400)), "image/png")
        assert response.status_code == 200 and "big.png" in response.content.decode()
        assert Attachment.objects.count() == before


def test_accepted_files_are_stored_in_the_database_and_served_as_downloads(world, client_for, tmp_path, settings):
    """An accepted file never lands under MEDIA_ROOT; it is served by a
    view that checks reach, as a download that the browser must not sniff."""
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(NOW, tick=False):
        own = build(world).side[1]
        url = reverse("home_school:conversation_detail", args=[own.conversation.pk])
        client = client_for(world.head_teacher)
        assert _send(client, url, "报告.pdf", PDF, "application/pdf").status_code == 302
        assert _send(client, url, "<img src=x onerror=alert(1)>.png", png_bytes(), "image/png").status_code == 302
        assert not any(Path(tmp_path).rglob("*"))
        for attachment in Attachment.objects.filter(message__conversation=own.conversation).order_by("-pk")[:2]:
            response = client.get(reverse("home_school:attachment_download", args=[attachment.pk]))
            assert response.status_code == 200
            assert response["Content-Disposition"].startswith("attachment;")
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Content-Type"] in ("application/pdf", "image/png")
            assert "<" not in response["Content-Disposition"] and "\n" not in response["Content-Disposition"]
            assert Client().get(reverse("home_school:attachment_download", args=[attachment.pk])).status_code == 302


def test_no_model_keeps_files_on_disk():
    """User files are BinaryFields behind views that check reach: no
    FileField or ImageField anywhere (they would be served from MEDIA_URL)."""
    file_fields = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]
    assert not file_fields


def test_media_url_is_not_served(world, client_for):
    media = settings.MEDIA_URL or "/media/"
    path = (media if media.startswith("/") else f"/{media}") + "attachments/x.png"
    with pytest.raises(Resolver404):
        resolve(path)
    assert client_for(world.office).get(path).status_code == 404
    assert settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


# --- Exports -------------------------------------------------------------------------------------------

FORMULAS = ("=1+1", "+1+1", "-1+1", "@SUM(1)", "\t=1+1", "\r=1+1", "\n=1+1", '=HYPERLINK("http://evil.example","x")')


def _formula_for(n, max_length):
    value = FORMULAS[n % len(FORMULAS)]
    return value if max_length is None or len(value) <= max_length else "=1"


def _store_formulas():
    """A formula-like value in every free-text field (tests/security/test_xss.FIELDS)."""
    for n, (label, name) in enumerate(FIELDS):
        model = apps.get_model(label)
        field = model._meta.get_field(name)
        for i, pk in enumerate(model.objects.order_by("pk").values_list("pk", flat=True)):
            suffix = f"{i}" if i else ""
            room = None if field.max_length is None else field.max_length - len(suffix)
            try:
                with transaction.atomic():
                    model.objects.filter(pk=pk).update(**{name: _formula_for(n, room) + suffix})
            except IntegrityError:
                pass


def _bad_cells(content: bytes, name: str):
    problems, shown = [], 0
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    problems.append(f"{name} {cell.coordinate}: a formula {cell.value!r}")
                elif isinstance(cell.value, str):
                    if cell.value.startswith(FORMULA_TRIGGERS):
                        problems.append(f"{name} {cell.coordinate}: starts like a formula {cell.value!r}")
                    shown += "=1" in cell.value or "@SUM" in cell.value or "+1" in cell.value
    return problems, shown


SPREADSHEET_TYPES = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/csv")


@pytest.mark.parametrize("role", ["head_teacher", "office"])
@pytest.mark.usefixtures("quiet_refusals")
def test_every_export_neutralises_formulas(world, role):
    """Each URL of the matrix that answers with a spreadsheet, for a person
    who may download it."""
    names = url_names()
    problems, exports = [], []
    with time_machine.travel(NOW, tick=False):
        objects = build(world)
        _store_formulas()
        client = Client()
        client.force_login(people(world)[role])
        for name, spec in URLS.items():
            if name not in names or spec["get"].get(role) != 200 or spec["obj"] == "reset":
                continue
            kwargs = names[name]
            url = reverse(name, kwargs={kwargs[0]: target(objects, spec["obj"], role).pk}) if kwargs else reverse(name)
            response = client.get(url)
            if not response.get("Content-Type", "").startswith(SPREADSHEET_TYPES):
                continue
            exports.append(name)
            assert response["Content-Disposition"].startswith("attachment;"), name
            found, shown = _bad_cells(response.content, name)
            problems += found
            if not shown:
                problems.append(f"{name}: no formula-like value came through (nothing was checked)")
    assert {"classes:class_roster_export", "home_school:notice_export"} <= set(exports)
    assert not problems, "\n".join(problems)


def test_initial_password_sheets_neutralise_formulas(tmp_path):
    """The one-time password sheet (admin download and the import_roster
    command's .xlsx or .csv) carries names typed in a roster file."""
    from students.management.commands.import_roster import _credentials_file
    from students.roster.report import credentials_table

    credentials = [
        {"username": "=1+1", "name": '=HYPERLINK("http://evil.example","x")', "role": "guardian", "mobile": "13900000001",
         "students": ["@SUM(1)"], "classes": ["\t=1+1"], "password": "-1+1"},
    ]
    header, rows = credentials_table(credentials)
    problems, shown = _bad_cells(xlsx_bytes("t", header, rows), "xlsx")
    assert not problems and shown
    for suffix in (".xlsx", ".csv"):
        data = _credentials_file(tmp_path / f"c{suffix}", header, rows)
        if suffix == ".xlsx":
            assert not _bad_cells(data, suffix)[0]
        else:
            import csv

            for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))):
                assert not any(cell.startswith(FORMULA_TRIGGERS) for cell in row), row


def test_every_spreadsheet_is_written_by_core_exports():
    """Spreadsheets are made in one place (core.exports, which
    neutralises formulas); the roster command's CSV uses its safe_cell."""
    root = Path(settings.BASE_DIR)
    allowed = {"core/exports.py", "students/management/commands/import_roster.py"}
    writers = []
    for path in root.glob("*/**/*.py"):
        rel = path.relative_to(root).as_posix()
        if rel.startswith((".venv/", "tests/", "bench/")) or "/migrations/" in rel or rel in allowed:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if "Workbook(" in text or "csv.writer(" in text or "csv.DictWriter(" in text or "text/csv" in text:
            writers.append(rel)
    assert not writers, f"write spreadsheets through core.exports: {writers}"


@pytest.mark.parametrize(("url_name", "kind", "who"), [
    ("home_school:attachment_download", "attachment", "parent"),
    ("moral_ed:practice_evidence", "evidence", "head_teacher"),
    ("moral_ed:practice_evidence", "evidence", "parent"),
])
def test_every_uploaded_file_is_served_as_a_download(world, client_for, url_name, kind, who):
    """Both views that serve uploaded bytes (message attachments, practice
    evidence) answer with a download the browser must not sniff or cache
    for others."""
    with time_machine.travel(NOW, tick=False):
        objects = build(world)
        response = client_for(getattr(world, who)).get(reverse(url_name, args=[getattr(objects.side[1], kind).pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] in ("image/png", "image/jpeg", "image/webp", "application/pdf")
    assert "public" not in response.get("Cache-Control", "")
