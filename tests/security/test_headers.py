"""Security headers on every kind of response, and no page that a strict
Content-Security-Policy would break: no inline script (json_script data
blocks excepted: type="application/json" is data, never executed), no
inline style, no on*= handlers, no javascript: URLs, nothing htmx would
need eval for. A last test loads real pages in Chromium and listens for
CSP violations."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.contrib import admin
from django.test import Client, override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from moral_ed.models import ConductItem
from moral_ed.services.conduct import points_record
from moral_ed.services.defaults import defaults_install

from .csp_checks import assert_security_headers, inline_problems

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def points(world):
    """Some conduct entries, so the ledger pages and the chart have content."""
    defaults_install(school=world.school)
    plus = ConductItem.objects.filter(school=world.school, points__gt=0).first()
    minus = ConductItem.objects.filter(school=world.school, points__lt=0).first()
    for item in (plus, minus):
        points_record(
            actor=world.head_teacher, school=world.school, term=world.term, school_class=world.class1,
            student_ids=[world.child.pk, world.classmate.pk], item=item,
        )
    return world


def _html_ok(response):
    content_type = response.headers.get("Content-Type", "")
    if "text/html" not in content_type or getattr(response, "streaming", False):
        return
    problems = inline_problems(response.content.decode())
    assert not problems, f"{response.request['PATH_INFO']}: " + "; ".join(problems)


# --- One request per kind of page --------------------------------------------------


def test_login_page(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert_security_headers(response)
    _html_ok(response)


def test_staff_page(world, client_for):
    response = client_for(world.office).get(reverse("classes:class_list"))
    assert response.status_code == 200
    assert_security_headers(response)
    _html_ok(response)


def test_portal_page(world, client_for):
    response = client_for(world.parent).get(reverse("home_school:portal_child", args=[world.child.pk]))
    assert response.status_code == 200
    assert_security_headers(response)
    _html_ok(response)


def test_admin_page(world, client_for):
    response = client_for(world.school_admin).get(reverse("admin:index"))
    assert response.status_code == 200
    assert_security_headers(response)
    _html_ok(response)


def test_file_download(world, client_for):
    response = client_for(world.head_teacher).get(reverse("classes:class_roster_export", args=[world.class1.pk]))
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    assert_security_headers(response)


def test_htmx_fragment_and_script_responses(points, client_for):
    head = client_for(points.head_teacher)
    fragment = head.post(
        reverse("moral_ed:batch_undo", args=[points.class1.pk]), {"batch": str(uuid.uuid4())}, HTTP_HX_REQUEST="true"
    )
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()
    assert_security_headers(fragment)
    _html_ok(fragment)
    catalog = head.get(reverse("javascript-catalog"))
    assert catalog.status_code == 200 and "javascript" in catalog["Content-Type"]
    assert_security_headers(catalog)


def test_not_found_and_forbidden(world, client_for):
    missing = client_for(world.office).get("/no-such-page/")
    assert missing.status_code == 404
    assert_security_headers(missing)
    _html_ok(missing)
    forbidden = client_for(world.parent).get(reverse("classes:class_list"))
    assert forbidden.status_code == 403
    assert_security_headers(forbidden)
    _html_ok(forbidden)


@override_settings(ROOT_URLCONF="tests.security.error_urls")
def test_server_error():
    client = Client(raise_request_exception=False)
    response = client.get("/__test__/boom/")
    assert response.status_code == 500
    assert_security_headers(response)
    _html_ok(response)


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_SSL_REDIRECT=False)
def test_hsts_on_https(world, client_for):
    response = client_for(world.office).get(reverse("classes:class_list"), secure=True)
    assert_security_headers(response, hsts=True)
    assert "Strict-Transport-Security" not in client_for(world.office).get(reverse("classes:class_list"))


def _production_settings(**extra):
    """config.settings as production loads it (DEBUG=0), in a fresh interpreter."""
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "banwu.example.edu.cn",
        "SITE_URL": "https://banwu.example.edu.cn",
        "CACHE_URL": "rediscache://127.0.0.1:6379/14",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **extra,
    }
    if "SECURE_HSTS_SECONDS" not in extra:
        env.pop("SECURE_HSTS_SECONDS", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests; production never has it
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k, None) for k in ['SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
        "'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'MIDDLEWARE', 'CONTENT_SECURITY_POLICY']}))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_send_hsts_for_a_year_and_pass_the_deploy_check():
    values = _production_settings()
    assert values["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_SSL_REDIRECT"] and values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    middleware = values["MIDDLEWARE"]
    assert middleware.index("csp.middleware.CSPMiddleware") == middleware.index("django.middleware.security.SecurityMiddleware") + 1
    assert _production_settings(SECURE_HSTS_SECONDS="600")["SECURE_HSTS_SECONDS"] == 600
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "k" * 60 + "Q7#zP", "ALLOWED_HOSTS": "banwu.example.edu.cn",
           "SITE_URL": "https://banwu.example.edu.cn", "CACHE_URL": "rediscache://127.0.0.1:6379/14"}
    for name in ("SECURE_HSTS_SECONDS", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    check = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False,
    )
    assert check.returncode == 0, check.stderr + check.stdout


def test_without_a_secret_nothing_serves_but_the_checks_run():
    """A clean environment (no DEBUG, no SECRET_KEY): the migration check
    runs, the deploy check names the missing secret, and neither the web
    application nor a Celery worker starts."""
    scratch = Path(os.environ.get("TMPDIR", "/tmp")) / f"banwu-nosecret-{uuid.uuid4().hex}"
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"), "BANWU_VAR_DIR": str(scratch)}

    def run(*args):
        return subprocess.run([sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False)

    migrations = run("manage.py", "makemigrations", "--check", "--dry-run")
    assert migrations.returncode == 0 and "No changes detected" in migrations.stdout, migrations.stderr
    deploy = run("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert deploy.returncode != 0 and "security.W009" in deploy.stderr + deploy.stdout
    for module in ("config.wsgi", "config.asgi"):
        started = run("-c", f"import {module}")
        assert started.returncode != 0 and "SECRET_KEY" in started.stderr, module
    worker = run("-c", "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); django.setup(); "
                 "from config.celery import _secret_before_work; _secret_before_work()")
    assert worker.returncode != 0 and "SECRET_KEY" in worker.stderr


# --- Every page a role can open ---------------------------------------------------------------


def _url_names(patterns=None, namespace=""):
    """Every named URL pattern, as "namespace:name"."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


# Not pages: a POST-only logout, the language switch, the JavaScript catalogue.
SKIP = {"accounts:logout", "set_language", "javascript-catalog"}


def _pages_with_ids(w):
    """A few pages that take an id, with the world's ids."""
    return [
        ("classes:class_detail", [w.class1.pk]),
        ("students:student_detail", [w.child.pk]),
        ("moral_ed:class_entry", [w.class1.pk]),
        ("moral_ed:student_points", [w.child.pk]),
        ("moral_ed:review_queue", [w.class1.pk]),
        ("moral_ed:class_groups", [w.class1.pk]),
        ("moral_ed:group_create", [w.class1.pk]),
        ("moral_ed:class_ranking", [w.class1.pk]),
        ("moral_ed:class_bank", [w.class1.pk]),
        ("moral_ed:class_stars", [w.class1.pk]),
        ("home_school:portal_child", [w.child.pk]),
        ("home_school:participation_class", [w.class1.pk]),
        ("home_school:conversation_start", [w.child.pk]),
        ("home_school:portal_conversation_start", [w.child.pk]),
    ]


def _walk(client, w):
    """GET every named URL that needs no argument, and the pages with ids;
    yield each response after redirects."""
    seen = set()
    targets = []
    for name in sorted(set(_url_names())):
        if name in SKIP or name.startswith("admin:"):
            continue
        try:
            targets.append(reverse(name))
        except NoReverseMatch:
            continue  # needs an id: only the ones listed below
    for name, args in _pages_with_ids(w):
        targets.append(reverse(name, args=args))
    for url in targets:
        if url in seen:
            continue
        seen.add(url)
        yield url, client.get(url, follow=True)


@pytest.mark.parametrize("role", ["office", "head_teacher", "parent"])
def test_every_page_is_csp_clean(points, client_for, role):
    client = client_for(getattr(points, role))
    pages = 0
    for url, response in _walk(client, points):
        assert response.status_code in {200, 403, 404, 405}, f"{role} {url}: {response.status_code}"
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            pages += 1
        assert_security_headers(response)
        _html_ok(response)
    print(f"{role}: {pages} pages rendered")
    assert pages >= (8 if role == "parent" else 25), f"{role}: only {pages} pages rendered"


def test_every_admin_list_and_form_is_csp_clean(world, client_for):
    client = client_for(world.school_admin)
    pages = 0
    for model in admin.site._registry:
        for view in ("changelist", "add"):
            try:
                url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")
            except NoReverseMatch:
                continue
            response = client.get(url)
            assert response.status_code in {200, 302, 403}, f"{url}: {response.status_code}"
            if response.status_code == 200:
                pages += 1
            assert_security_headers(response)
            _html_ok(response)
    assert pages >= 10
