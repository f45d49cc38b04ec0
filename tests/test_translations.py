"""Chinese is the interface language: every string a person reads has a
zh_Hans translation, and the catalogue covers the code as it is now."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
IGNORE = [".venv", "staticfiles", "var", "tests", "bench", "docs", "static", "build", ".ci"]


def _problems(po):
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    return untranslated, fuzzy


def test_zh_hans_catalogue_is_complete():
    untranslated, fuzzy = _problems(polib.pofile(str(CATALOGUE)))
    assert not untranslated, f"untranslated: {untranslated[:20]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:20]}"


def test_catalogue_covers_every_string_in_the_code(tmp_path):
    """Re-extract the strings from a throwaway copy of the code (makemessages
    writes into ./locale, so it must not run on the real tree): nothing may
    come out untranslated. Run `make messages` and translate when it fails."""
    if shutil.which("xgettext") is None:
        if os.environ.get("BANWU_REQUIRE_SERVICES") == "1":
            pytest.fail("GNU gettext (xgettext) is needed to check the catalogue")
        pytest.skip("GNU gettext (xgettext) is not installed")
    base = Path(settings.BASE_DIR)
    copy = tmp_path / "tree"
    skip = set(IGNORE) | {"locale", ".git", "test-output", "node_modules"}
    shutil.copytree(base, copy, ignore=lambda d, names: [n for n in names if Path(d) == base and n in skip])
    (copy / "locale" / "zh_Hans" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(CATALOGUE, copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings", DEBUG="1")
    env.pop("DATABASE_URL", None)
    args = [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete", "-v", "0"]
    for pattern in IGNORE:
        args += ["--ignore", pattern]
    subprocess.run(args, cwd=copy, env=env, check=True)
    untranslated, fuzzy = _problems(polib.pofile(str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")))
    assert not untranslated, f"strings without a Chinese translation: {untranslated[:20]}"
    assert not fuzzy, f"fuzzy translations: {fuzzy[:20]}"


def test_pages_are_chinese_by_default_and_english_on_request(world):
    client = Client()
    page = client.get(reverse("accounts:login")).content.decode()
    assert "登录" in page
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Log in" in page and "登录" not in page.split("<form")[1]


def test_error_messages_are_chinese(world):
    with translation.override("zh-hans"):
        page = Client().post(reverse("accounts:login"), {"username": "x", "password": "y"}).content.decode()
    assert "账号或密码不正确" in page
