"""A 5,000-row student roster: imported, re-imported, against a bare bulk insert.

    .venv/bin/python bench/roster_import.py            # both databases, about 3 minutes on 2 busy cores
    .venv/bin/python bench/roster_import.py --database sqlite

For each database (SQLite in a temporary file, then PostgreSQL in the
database banwu_rosterbench, dropped and re-created) a child process
migrates a fresh database, builds one school (grades 1 to 6, ten classes
each, a current term) and a CSV of 5,000 students with 8,000-odd
guardians (a second guardian on 70 % of the rows, one child in ten a
sibling sharing the mother's mobile number), then times, in ONE run:

  (a) baseline: the least work that stores the same rows. The CSV read with
      the csv module, one light one-time-password hash per new account (an
      account cannot be stored without one), and bulk_create of the users,
      students, enrollments, guardians, memberships and guardianships, in a
      transaction that is rolled back.
  (b) import: students.roster.services.roster_import_create + roster_import_run,
      as the Celery task runs it (every check, progress, the audit rows,
      the sealed passwords, the file deleted). Goal <= 20 s.
  (c) re-import of the same file: every check again, nothing to write.
      Goal <= 10 s.

It prints the times, the ratios (b / a, c / a), the query counts of (b)
and (c), what hashing the one-time passwords costs (on both sides), and
the load average before and after, since the figures depend on what else
the machine runs. Figures and their reading:
docs/performance.md.

Options: --database sqlite|postgres|both (both), --rows N (5000), --keep-db.
"""

import argparse
import csv
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
PG_DB = "banwu_rosterbench"
GOALS = {"import": 20.0, "reimport": 10.0}
HEADER = [
    "学号", "姓名", "性别", "出生日期", "年级", "班级",
    "监护人1姓名", "监护人1关系", "监护人1手机", "监护人2姓名", "监护人2关系", "监护人2手机",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
GIVEN = "子涵欣怡梓轩浩然雨桐宇航思源佳琪一诺梦瑶俊杰紫萱博文晨曦嘉怡天佑若曦明轩可馨皓宇雅琪"
GRADES = ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级")
CLASSES_PER_GRADE = 10

STARTED = time.monotonic()


def log(msg):
    print(f"[{time.monotonic() - STARTED:6.1f} s] {msg}", flush=True)


def load() -> str:
    return "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


# --- The file ------------------------------------------------------------------


def roster_csv(rows: int, seed: int = 5) -> bytes:
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    previous = None
    for n in range(rows):
        surname = rng.choice(SURNAMES)
        name = surname + "".join(rng.sample(GIVEN, 2))
        level = n % 6
        if previous is not None and rng.random() < 0.1:
            mother, mother_mobile = previous  # a sibling: the same mother
        else:
            mother, mother_mobile = rng.choice(SURNAMES) + "妈妈", f"139{n:08d}"
        previous = (mother, mother_mobile)
        father = [surname + "爸爸", "父亲", f"138{n:08d}"] if rng.random() < 0.7 else ["", "", ""]
        writer.writerow(
            [
                f"2026{n:05d}", name, rng.choice("男女"), f"{2014 - level}-{rng.randint(1, 12)}-{rng.randint(1, 28)}",
                GRADES[level], str(1 + (n // 6) % CLASSES_PER_GRADE), mother, "母亲", mother_mobile, *father,
            ]
        )
    return out.getvalue().encode("utf-8-sig")


# --- The child process: one database ----------------------------------------------------


def child(database: str, rows: int, keep: bool) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="rosterbench-"))
    url = f"sqlite:///{tmp / 'bench.sqlite3'}" if database == "sqlite" else (
        f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{PG_DB}"
    )
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": url,
            "BANWU_VAR_DIR": str(tmp / "var"),
            "LOG_LEVEL": "WARNING",
        }
    )
    if database == "postgres":
        recreate_database()
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    t0 = time.monotonic()
    call_command("migrate", verbosity=0)
    log(f"{database}: migrated in {time.monotonic() - t0:.1f} s")
    school = build_school()
    content = roster_csv(rows)
    log(f"{database}: {rows} rows, {len(content) // 1024} KB; load average {load()}")

    result = {"database": database, "rows": rows, "load_before": load()}
    result["baseline"], result["baseline_rows"] = timed(lambda: bare_insert(school, content))
    log(f"{database}: baseline (bare bulk insert, rolled back) {result['baseline']:.2f} s")
    (result["import"], first), result["import_queries"] = counted(lambda: timed(lambda: run(school, content)))
    log(f"{database}: import {result['import']:.2f} s, {result['import_queries']} queries: {first['status']} {first['counts']}")
    (result["reimport"], second), result["reimport_queries"] = counted(lambda: timed(lambda: run(school, content)))
    log(f"{database}: re-import {result['reimport']:.2f} s, {result['reimport_queries']} queries: {second['counts']}")
    result["load_after"] = load()
    result["accounts"] = first["counts"].get("accounts_created")
    result["hashing"] = hashing_time(result["accounts"])
    log(f"{database}: of which hashing {result['accounts']} one-time passwords (both sides) {result['hashing']:.2f} s")
    assert first["status"] == "done" and second["counts"]["students_unchanged"] == rows, (first, second)
    from django.db import connections

    connections.close_all()
    if database == "postgres" and not keep:
        drop_database()
    return result


def admin_connection():
    import psycopg2

    conn = psycopg2.connect(dbname="postgres", **PG)
    conn.autocommit = True
    return conn


def recreate_database():
    conn = admin_connection()
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        cur.execute(f"CREATE DATABASE {PG_DB}")
    conn.close()


def drop_database():
    conn = admin_connection()
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    conn.close()


def build_school():
    import datetime

    from django.utils import timezone

    from classes.models import Grade, School, SchoolClass, SchoolYear, Term, default_class_name

    today = timezone.localdate()
    school = School.objects.create(code="RBENCH", name="花名册基准小学")
    year = SchoolYear.objects.create(
        school=school, name="bench", start_date=today - datetime.timedelta(days=60), end_date=today + datetime.timedelta(days=300)
    )
    Term.objects.create(
        school=school, school_year=year, number=1, is_current=True,
        start_date=today - datetime.timedelta(days=30), end_date=today + datetime.timedelta(days=120),
    )
    grades = Grade.objects.bulk_create([Grade(school=school, level=level, name=GRADES[level - 1]) for level in range(1, 7)])
    SchoolClass.objects.bulk_create(
        [
            SchoolClass(school=school, school_year=year, grade=g, number=n, name=default_class_name(g.level, n))
            for g in grades
            for n in range(1, CLASSES_PER_GRADE + 1)
        ]
    )
    return school


def hashing_time(accounts: int) -> float:
    """What the one-time password hashes cost, measured on 500 and scaled."""
    from django.contrib.auth.hashers import make_password

    from students.services import _INITIAL_PASSWORD_HASHER

    t0 = time.perf_counter()
    for _ in range(500):
        make_password("abcdefghijk", hasher=_INITIAL_PASSWORD_HASHER)
    return (time.perf_counter() - t0) / 500 * accounts


def timed(job):
    t0 = time.perf_counter()
    value = job()
    return time.perf_counter() - t0, value


def counted(job):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        value = job()
    return value, len(queries)


def run(school, content) -> dict:
    from students.roster.services import roster_import_create, roster_import_run

    roster_import = roster_import_create(school=school, uploaded_by=None, file_name="bench.csv", content=content)
    roster_import_run(import_id=roster_import.pk)
    roster_import.refresh_from_db()
    return {"status": roster_import.status, "counts": roster_import.report.get("counts"), "errors": roster_import.report["errors"][:3]}


def bare_insert(school, content) -> int:
    """The same rows, stored with no checks at all (rolled back)."""
    import datetime

    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Membership, Role, User
    from classes.models import SchoolClass
    from students.models import Enrollment, Guardian, Guardianship, Student
    from students.services import _INITIAL_PASSWORD_HASHER, initial_password_generate

    reader = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    next(reader)
    rows = list(reader)
    classes = {(c.grade.name, str(c.number)): c for c in SchoolClass.objects.filter(school=school).select_related("grade")}
    today = timezone.localdate()
    with transaction.atomic():
        people = {}
        for row in rows:
            for name, mobile in ((row[6], row[8]), (row[9], row[11])):
                if mobile and mobile not in people:
                    people[mobile] = User(
                        username=mobile, mobile=mobile, full_name=name, must_change_password=True,
                        password=make_password(initial_password_generate(), hasher=_INITIAL_PASSWORD_HASHER),
                    )
        User.objects.bulk_create(people.values(), batch_size=500)
        guardians = {m: Guardian(school=school, user=u, name=u.full_name, mobile=m) for m, u in people.items()}
        Guardian.objects.bulk_create(guardians.values(), batch_size=500)
        Membership.objects.bulk_create([Membership(user=u, school=school, role=Role.GUARDIAN) for u in people.values()], batch_size=500)
        students = Student.objects.bulk_create(
            [
                Student(school=school, student_number=r[0], name=r[1], gender="M" if r[2] == "男" else "F",
                        birth_date=datetime.date(*map(int, r[3].split("-"))))
                for r in rows
            ],
            batch_size=500,
        )
        Enrollment.objects.bulk_create(
            [
                Enrollment(school=school, student=s, school_class=classes[(r[4], r[5])], school_year_id=classes[(r[4], r[5])].school_year_id,
                           start_date=today)
                for s, r in zip(students, rows, strict=True)
            ],
            batch_size=500,
        )
        Guardianship.objects.bulk_create(
            [
                Guardianship(school=school, student=s, guardian=guardians[m], relationship=rel, is_primary=primary)
                for s, r in zip(students, rows, strict=True)
                for m, rel, primary in ((r[8], "mother", True), (r[11], "father", False))
                if m
            ],
            batch_size=500,
        )
        transaction.set_rollback(True)
    return len(rows)


# --- The parent: both databases, the summary --------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print("RESULT " + json.dumps(child(args.database, args.rows, args.keep_db)), flush=True)
        return
    log(f"{os.cpu_count()} CPUs, load average {load()}")
    results = []
    for database in (["sqlite", "postgres"] if args.database == "both" else [args.database]):
        command = [sys.executable, __file__, "--child", "--database", database, "--rows", str(args.rows)]
        if args.keep_db:
            command.append("--keep-db")
        out = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True).stdout
        for line in out.splitlines():
            if line.startswith("RESULT "):
                results.append(json.loads(line[7:]))
            else:
                print(line, flush=True)
    print()
    print(f"{'database':<10} {'rows':>5} {'accounts':>8} {'hashing':>8} {'baseline':>9} {'import':>8} {'ratio':>6}"
          f" {'re-import':>9} {'ratio':>6} {'queries':>9}  load before/after")
    failed = False
    for r in results:
        ok_import, ok_again = r["import"] <= GOALS["import"], r["reimport"] <= GOALS["reimport"]
        failed |= not (ok_import and ok_again)
        print(
            f"{r['database']:<10} {r['rows']:>5} {r['accounts']:>8} {r['hashing']:>7.2f}s {r['baseline']:>8.2f}s {r['import']:>7.2f}s"
            f" {r['import'] / r['baseline']:>5.1f}x {r['reimport']:>8.2f}s {r['reimport'] / r['baseline']:>5.1f}x"
            f" {r['import_queries']:>4}/{r['reimport_queries']:<4}  {r['load_before']} / {r['load_after']}"
        )
    print(f"\ngoals: import <= {GOALS['import']:.0f} s, re-import <= {GOALS['reimport']:.0f} s: {'met' if not failed else 'NOT met'}")


if __name__ == "__main__":
    main()
