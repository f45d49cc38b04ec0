"""How much a guardian's phone downloads on the portal's first load.

    .venv/bin/python bench/portal_weight.py

Builds the demo school in a fresh SQLite database under a temporary folder,
runs collectstatic with the production storage (whitenoise writes a .gz
beside every file and serves it to browsers that accept gzip), then renders,
with production settings (DEBUG=0), the login page and the parent's portal
pages (the children list, a child's page, the notices list). For each page
it adds the gzip size of the HTML (as the reverse proxy would send it) and
of every stylesheet and script the page loads, counted once per first load
(a cold browser cache). Prints the totals against the 150 KB budget.
"""

import gzip
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

BUDGET = 150 * 1024
ROOT = Path(__file__).resolve().parents[1]


def prepare(env):
    python = sys.executable
    for args in (
        ["manage.py", "migrate", "--noinput", "-v0"],
        ["manage.py", "seed_demo", "--allow-without-debug", "-v0"],
        ["manage.py", "collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run([python, *args], cwd=ROOT, env=env, check=True)


def measure():
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    static_root = Path(settings.STATIC_ROOT)
    client = Client(HTTP_ACCEPT_ENCODING="gzip")
    assets_seen = set()
    rows = []

    def page(label, url, follow=True):
        response = client.get(url, follow=follow)
        assert response.status_code == 200, (url, response.status_code)
        html = response.content
        total = len(gzip.compress(html, 6))
        assets = []
        for ref in re.findall(rb'(?:href|src)="(/static/[^"]+)"', html):
            name = ref.decode()[len(settings.STATIC_URL) + 1 - 1 :].lstrip("/").removeprefix("static/")
            if not name.endswith((".css", ".js")):
                continue
            path = static_root / name
            gz = path.with_name(path.name + ".gz")
            size = gz.stat().st_size if gz.exists() else path.stat().st_size
            first = name not in assets_seen
            assets_seen.add(name)
            assets.append((name, size, first))
            if first:
                total += size
        rows.append((label, len(html), len(gzip.compress(html, 6)), assets, total))
        return total

    login_total = page("login page", "/login/")
    client.post("/login/", {"username": "parent", "password": "banwu-demo"})
    portal_total = page("portal: children", "/portal/")
    from students.models import Student

    child = Student.objects.filter(guardianships__guardian__user__username="parent").order_by("pk").first()
    portal_total += page("portal: a child", f"/portal/child/{child.pk}/")
    portal_total += page("portal: notices", "/portal/notices/")

    for label, raw, compressed, assets, total in rows:
        print(f"{label:<20} HTML {raw:>7} B raw, {compressed:>6} B gzip")
        for name, size, first in assets:
            print(f"{'':<22}{name:<48} {size:>7} B gzip{'' if first else ' (cached)'}")
        print(f"{'':<22}{'transferred on this page':<48} {total:>7} B")
    first_load = login_total + rows[1][4]
    print("-" * 90)
    print(f"first load (login page, then the portal): {first_load / 1024:.1f} KB (budget {BUDGET / 1024:.0f} KB)")
    print(f"the whole visit above (4 pages, assets once): {(login_total + portal_total) / 1024:.1f} KB")
    print("within budget" if first_load <= BUDGET else "OVER BUDGET")


def main():
    if os.environ.get("BANWU_PORTAL_WEIGHT_CHILD") == "1":
        measure()
        return
    folder = Path(tempfile.mkdtemp(prefix="banwu-weight-"))
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY="bench-" + "x" * 60,
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="0",
        BANWU_VAR_DIR=str(folder),
        STATIC_ROOT=str(folder / "static"),
        PYTHONPATH=str(ROOT),
    )
    env.pop("DATABASE_URL", None)
    prepare(env)
    subprocess.run([sys.executable, __file__], cwd=ROOT, env={**env, "BANWU_PORTAL_WEIGHT_CHILD": "1"}, check=True)


if __name__ == "__main__":
    main()
