"""The monthly evaluation of a large school against a hand-written GROUP BY.

    .venv/bin/python bench/evaluation_month.py          # about 3 minutes on 2 cores

It drops and re-creates the PostgreSQL database banwu_evalbench, migrates
it, and builds one school: 60 classes in 6 grades, 3,000 students, a head
teacher and a subject teacher per class, 6 groups per class, 120 dorm
rooms, and a term (2026-09-01 to 2027-01-20) of ledgers: 3,000,000 conduct
entries (2 % voided), about 25,000 inspection entries, group entries,
dorm entries and a few vetoes. The ledgers are written by the database
itself (INSERT … SELECT over generate_series, in date order as a school
writes them, with the table's secondary indexes and foreign-key triggers
off during the load and the indexes rebuilt after), then VACUUM ANALYZE.

In ONE run it then times, alternating and 3 times each (median reported):

  (a) moral_ed.services.evaluations.evaluation_run for November 2026 (about
      630,000 conduct entries): every figure, the digest, and the rows
      written (60 class results, 3,000 student totals, 360 group results,
      120 dorm results, 60 appraisals). Each timed run is a first run: it
      runs in a transaction that is rolled back afterwards.
  (b) the floor: ONE hand-written SQL statement over the same month's rows
      giving the student-dimension sums and the class totals, fetched into
      Python. Three spellings are timed: GROUP BY GROUPING SETS ((student),
      (class)) filtered by school, the same filtered by the school's class
      ids (as the service filters, so the (school_class, occurred_on) index
      serves it), and GROUP BY (student, class) with the class totals summed
      from its rows. The fastest is the baseline.

It prints the rows, the times, the ratio (a / b; goal <= 3), the service's
query count, the EXPLAIN of the heaviest statements and the generation
time. Figures and their reading: docs/performance.md.

Options: --events N (3,000,000), --repeat N (3), --keep-db, --reuse (measure
again on a database left by --keep-db, without generating it).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "banwu_evalbench"
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
GRADES = (7, 8, 9, 10, 11, 12)
CLASSES_PER_GRADE = 10
CLASS_SIZE = 50
GROUPS_PER_CLASS = (("study", 4), ("cleaning", 2))
ROOMS = 120
EVENTS = 3_000_000
CHUNK = 500_000
GOAL = 3.0

STARTED = time.monotonic()


def log(msg):
    print(f"[{time.monotonic() - STARTED:6.1f} s] {msg}", flush=True)


def prepare_environment(tmp: Path):
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{DB_NAME}",
            "BANWU_VAR_DIR": str(tmp / "var"),
            "LOG_LEVEL": "WARNING",
        }
    )


def admin_connection():
    import psycopg2

    conn = psycopg2.connect(dbname="postgres", **PG)
    conn.autocommit = True
    return conn


def recreate_database():
    conn = admin_connection()
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        cur.execute(f"CREATE DATABASE {DB_NAME}")
    conn.close()


def drop_database():
    conn = admin_connection()
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    conn.close()


# --- The school (ORM, bulk_create) ------------------------------------------------------


def build_school() -> dict:
    import datetime

    from django.contrib.auth.hashers import make_password

    from accounts.models import Membership, Role, User
    from classes.models import Grade, School, SchoolClass, SchoolYear, TeachingAssignment, Term, default_class_name
    from moral_ed.models import DormBuilding, DormRoom, EvaluationSettings, StudentGroup
    from moral_ed.services.defaults import defaults_install
    from students.models import Enrollment, Student

    school = School.objects.create(code="EVB", name="评比基准中学")
    year = SchoolYear.objects.create(
        school=school, name="2026-2027", start_date=datetime.date(2026, 9, 1), end_date=datetime.date(2027, 7, 31)
    )
    term = Term.objects.create(
        school=school, school_year=year, number=1, is_current=True,
        start_date=datetime.date(2026, 9, 1), end_date=datetime.date(2027, 1, 20),
    )
    grades = Grade.objects.bulk_create([Grade(school=school, level=level, name="") for level in GRADES])
    classes = SchoolClass.objects.bulk_create(
        [
            SchoolClass(school=school, school_year=year, grade=grade, number=n, name=default_class_name(grade.level, n))
            for grade in grades
            for n in range(1, CLASSES_PER_GRADE + 1)
        ]
    )
    password = make_password("bench-pass-5731")
    heads = User.objects.bulk_create(
        [User(username=f"head{i:03d}", full_name=f"班主任{i}", password=password) for i in range(len(classes))]
    )
    subjects = User.objects.bulk_create(
        [User(username=f"teacher{i:03d}", full_name=f"任课{i}", password=password) for i in range(len(classes))]
    )
    office = User.objects.create(username="office", full_name="政教处", password=password)
    Membership.objects.bulk_create(
        [Membership(user=u, school=school, role=Role.HEAD_TEACHER) for u in heads]
        + [Membership(user=u, school=school, role=Role.SUBJECT_TEACHER) for u in subjects]
        + [Membership(user=office, school=school, role=Role.OFFICE)]
    )
    TeachingAssignment.objects.bulk_create(
        [TeachingAssignment(school=school, term=term, school_class=c, teacher=h, is_head_teacher=True) for c, h in zip(classes, heads, strict=True)]
        + [
            TeachingAssignment(school=school, term=term, school_class=c, teacher=t, subject="数学", is_head_teacher=False)
            for c, t in zip(classes, subjects, strict=True)
        ]
    )
    students = Student.objects.bulk_create(
        [
            Student(school=school, student_number=f"2026{i:05d}", name=f"学生{i}", gender="FM"[i % 2])
            for i in range(len(classes) * CLASS_SIZE)
        ]
    )
    Enrollment.objects.bulk_create(
        [
            Enrollment(school=school, student=s, school_class=classes[i // CLASS_SIZE], school_year=year, start_date=year.start_date)
            for i, s in enumerate(students)
        ]
    )
    StudentGroup.objects.bulk_create(
        [
            StudentGroup(school=school, school_class=c, kind=kind, name=f"{kind}{n}")
            for c in classes
            for kind, count in GROUPS_PER_CLASS
            for n in range(1, count + 1)
        ]
    )
    buildings = DormBuilding.objects.bulk_create([DormBuilding(school=school, name=f"{n}号楼", ordering=n) for n in range(1, 5)])
    DormRoom.objects.bulk_create(
        [DormRoom(school=school, building=buildings[i % 4], number=f"{100 + i // 4 + 1}") for i in range(ROOMS)]
    )
    EvaluationSettings.objects.create(school=school)
    defaults_install(school=school)
    return {"school": school.pk, "term": term.pk, "office": office.pk, "start": term.start_date, "end": term.end_date}


# --- The ledgers (SQL, generate_series) -----------------------------------------------------

MAPS = """
CREATE TABLE b_students AS
  SELECT (row_number() OVER (ORDER BY s.id) - 1)::int AS idx, s.id AS student_id, e.school_class_id,
         h.teacher_id AS head_id, t.teacher_id AS subject_id
  FROM students_student s
  JOIN students_enrollment e ON e.student_id = s.id
  JOIN classes_teachingassignment h ON h.school_class_id = e.school_class_id AND h.is_head_teacher
  JOIN classes_teachingassignment t ON t.school_class_id = e.school_class_id AND NOT t.is_head_teacher
  WHERE s.school_id = %(school)s;
CREATE TABLE b_items AS
  SELECT (row_number() OVER (ORDER BY id) - 1)::int AS idx, id, dimension, points
  FROM moral_ed_conductitem WHERE school_id = %(school)s;
CREATE TABLE b_classes AS
  SELECT (row_number() OVER (ORDER BY c.id) - 1)::int AS idx, c.id, h.teacher_id AS head_id
  FROM classes_schoolclass c JOIN classes_teachingassignment h ON h.school_class_id = c.id AND h.is_head_teacher
  WHERE c.school_id = %(school)s;
CREATE TABLE b_groups AS
  SELECT (row_number() OVER (ORDER BY g.id) - 1)::int AS idx, g.id, h.teacher_id AS head_id
  FROM moral_ed_studentgroup g JOIN classes_teachingassignment h ON h.school_class_id = g.school_class_id AND h.is_head_teacher
  WHERE g.school_id = %(school)s;
CREATE TABLE b_rooms AS
  SELECT (row_number() OVER (ORDER BY id) - 1)::int AS idx, id FROM moral_ed_dormroom WHERE school_id = %(school)s;
"""

# g runs over the chunk; the day grows with g (entries are written in date
# order, as a school writes them), the student and the item spread evenly.
CONDUCT = """
INSERT INTO moral_ed_conductevent (
  school_id, term_id, student_id, school_class_id, item_id, dimension, points, note, occurred_on, recorded_by_id,
  created_at, batch, disclosure, released_at, release_due_at, guardian_note_id, voided_by_id, voided_at, void_reason)
SELECT %(school)s, %(term)s, s.student_id, s.school_class_id, i.id, i.dimension, i.points, '', d.day,
       CASE WHEN g %% 3 = 0 THEN s.subject_id ELSE s.head_id END,
       d.at, gen_random_uuid(), 'released', d.at, NULL, NULL,
       CASE WHEN g %% 50 = 7 THEN s.head_id END, CASE WHEN g %% 50 = 7 THEN d.at + interval '5 minutes' END,
       CASE WHEN g %% 50 = 7 THEN '记错了学生' ELSE '' END
FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g
CROSS JOIN LATERAL (
  SELECT (%(start)s::date + (g * %(days)s / %(total)s)::int) AS day,
         ((%(start)s::date + (g * %(days)s / %(total)s)::int) + time '07:30' + (g %% 36000) * interval '1 second')
           AT TIME ZONE 'Asia/Shanghai' AS at
) AS d
JOIN b_students s ON s.idx = (g * 7919) %% %(students)s
JOIN b_items i ON i.idx = (g * 31) %% %(items)s
ORDER BY g
"""

CLASS_EVENTS = """
INSERT INTO moral_ed_classevent (school_id, term_id, school_class_id, item_id, points, note, occurred_on, recorded_by_id,
  created_at, voided_by_id, voided_at, void_reason)
SELECT %(school)s, %(term)s, c.id, NULL, (ARRAY[-1, -0.5, -2, 1, -1])[1 + (g %% 5)], '检查', day,
       %(office)s, (day + time '10:00') AT TIME ZONE 'Asia/Shanghai',
       CASE WHEN g %% 40 = 3 THEN %(office)s END, CASE WHEN g %% 40 = 3 THEN (day + time '11:00') AT TIME ZONE 'Asia/Shanghai' END,
       CASE WHEN g %% 40 = 3 THEN '复核撤销' ELSE '' END
FROM generate_series(%(start)s::date, %(end)s::date, interval '1 day') AS days(d)
CROSS JOIN LATERAL (SELECT d::date AS day) AS x
CROSS JOIN generate_series(0, 2) AS k
JOIN b_classes c ON true
CROSS JOIN LATERAL (SELECT (c.idx * 7 + k * 3 + (day - %(start)s::date)) AS g) AS n
WHERE (c.idx + k + (day - %(start)s::date)) %% 3 <> 0
"""

GROUP_EVENTS = """
INSERT INTO moral_ed_groupevent (school_id, term_id, group_id, item_id, points, note, occurred_on, recorded_by_id, created_at,
  voided_by_id, voided_at, void_reason)
SELECT %(school)s, %(term)s, gr.id, NULL, (ARRAY[1, 2, -1, 0.5])[1 + ((gr.idx + day - %(start)s::date) %% 4)], '', day, gr.head_id,
       (day + time '16:00') AT TIME ZONE 'Asia/Shanghai', NULL, NULL, ''
FROM generate_series(%(start)s::date, %(end)s::date, interval '1 day') AS days(d)
CROSS JOIN LATERAL (SELECT d::date AS day) AS x
JOIN b_groups gr ON (gr.idx + (day - %(start)s::date)) %% 2 = 0
"""

DORM_EVENTS = """
INSERT INTO moral_ed_dormevent (school_id, term_id, room_id, student_id, item_id, points, note, occurred_on, recorded_by_id,
  created_at, voided_by_id, voided_at, void_reason)
SELECT %(school)s, %(term)s, r.id, CASE WHEN (r.idx + day - %(start)s::date) %% 2 = 0 THEN s.student_id END, NULL,
       (ARRAY[-1, -0.5, -2, 1])[1 + ((r.idx * 3 + day - %(start)s::date) %% 4)], '', day, %(office)s,
       (day + time '22:00') AT TIME ZONE 'Asia/Shanghai', NULL, NULL, ''
FROM generate_series(%(start)s::date, %(end)s::date, interval '1 day') AS days(d)
CROSS JOIN LATERAL (SELECT d::date AS day) AS x
JOIN b_rooms r ON (r.idx + (day - %(start)s::date)) %% 3 <> 0
JOIN b_students s ON s.idx = (r.idx * 25 + (day - %(start)s::date)) %% %(students)s
"""

LEDGERS = ("moral_ed_conductevent", "moral_ed_classevent", "moral_ed_groupevent", "moral_ed_dormevent")


def secondary_indexes(cur, table) -> list[tuple[str, str]]:
    """(name, CREATE INDEX …) of a table's indexes that back no constraint."""
    cur.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.tablename = %s AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        """,
        [table],
    )
    return cur.fetchall()


def load_ledgers(info: dict, events: int) -> dict:
    """The term's ledgers, written by PostgreSQL. Returns the row counts."""
    import datetime

    import psycopg2

    conn = psycopg2.connect(dbname=DB_NAME, **PG)
    conn.autocommit = True
    counts = {}
    with conn.cursor() as cur:
        cur.execute(MAPS, {"school": info["school"]})
        cur.execute("SELECT count(*) FROM b_students")
        students = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM b_items")
        items = cur.fetchone()[0]
        dropped = []
        for table in LEDGERS:
            for name, definition in secondary_indexes(cur, table):
                cur.execute(f'DROP INDEX "{name}"')
                dropped.append(definition)
        # Foreign keys are checked by triggers; the ids come from the tables themselves.
        cur.execute("SET session_replication_role = replica")
        days = (info["end"] - info["start"]).days + 1
        params = {
            "school": info["school"], "term": info["term"], "office": info["office"], "start": info["start"], "end": info["end"],
            "days": days, "total": events, "students": students, "items": items,
        }
        for first in range(0, events, CHUNK):
            last = min(events, first + CHUNK) - 1
            t0 = time.monotonic()
            cur.execute(CONDUCT, {**params, "first": first, "last": last})
            day = info["start"] + datetime.timedelta(days=last * days // events)
            log(f"  conduct entries {first:>9,}–{last:>9,} (up to {day}) in {time.monotonic() - t0:4.1f} s")
        cur.execute(CLASS_EVENTS, params)
        cur.execute(GROUP_EVENTS, params)
        cur.execute(DORM_EVENTS, params)
        cur.execute("SET session_replication_role = DEFAULT")
        t0 = time.monotonic()
        for definition in dropped:
            cur.execute(definition)
        log(f"  {len(dropped)} secondary indexes rebuilt in {time.monotonic() - t0:4.1f} s")
        t0 = time.monotonic()
        for table in LEDGERS:
            cur.execute(f"VACUUM ANALYZE {table}")
            cur.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cur.fetchone()[0]
        cur.execute("VACUUM ANALYZE")
        log(f"  VACUUM ANALYZE in {time.monotonic() - t0:4.1f} s")
        for table in ("b_students", "b_items", "b_classes", "b_groups", "b_rooms"):
            cur.execute(f"DROP TABLE {table}")
    conn.close()
    return counts


def add_vetoes(info: dict):
    """Three vetoes in November (one voided), one in October."""
    import datetime

    from django.utils import timezone

    from accounts.models import User
    from classes.models import SchoolClass
    from moral_ed.models import ClassVeto

    office = User.objects.get(pk=info["office"])
    classes = list(SchoolClass.objects.filter(school_id=info["school"]).order_by("pk")[:4])
    rows = [
        ClassVeto(school_id=info["school"], term_id=info["term"], school_class=classes[0], occurred_on=datetime.date(2026, 11, 5),
                  reason="课间打架", recorded_by=office),
        ClassVeto(school_id=info["school"], term_id=info["term"], school_class=classes[1], occurred_on=datetime.date(2026, 11, 19),
                  reason="损坏公物", recorded_by=office),
        ClassVeto(school_id=info["school"], term_id=info["term"], school_class=classes[2], occurred_on=datetime.date(2026, 11, 20),
                  reason="误记", recorded_by=office, voided_by=office, voided_at=timezone.now(), void_reason="核实无此事"),
        ClassVeto(school_id=info["school"], term_id=info["term"], school_class=classes[3], occurred_on=datetime.date(2026, 10, 20),
                  reason="十月事件", recorded_by=office),
    ]
    ClassVeto.objects.bulk_create(rows)


def existing_school():
    from django.db import connection

    from classes.models import School, Term
    from moral_ed.models import ClassVeto

    school = School.objects.get(code="EVB")
    term = Term.objects.get(school=school, is_current=True)
    office = ClassVeto.objects.filter(school=school).values_list("recorded_by_id", flat=True).first()
    counts = {}
    with connection.cursor() as cur:
        for table in LEDGERS:
            cur.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cur.fetchone()[0]
    info = {"school": school.pk, "term": term.pk, "office": office, "start": term.start_date, "end": term.end_date}
    return info, counts


# --- Measuring ----------------------------------------------------------------------------------

RAW_BY_SCHOOL = """
SELECT student_id, school_class_id,
       SUM(points) FILTER (WHERE dimension = 'morality'), SUM(points) FILTER (WHERE dimension = 'study'),
       SUM(points) FILTER (WHERE dimension = 'discipline'), SUM(points) FILTER (WHERE dimension = 'hygiene'),
       SUM(points) FILTER (WHERE dimension = 'activities'), SUM(points), COUNT(*)
FROM moral_ed_conductevent
WHERE school_id = %s AND occurred_on BETWEEN %s AND %s AND voided_at IS NULL
GROUP BY GROUPING SETS ((student_id), (school_class_id))
"""
RAW_BY_CLASSES = RAW_BY_SCHOOL.replace(
    "WHERE school_id = %s AND", "WHERE school_id = %s AND school_class_id = ANY(%s) AND"
)
# One GROUP BY (student, class): the class totals are the sums of its rows.
RAW_PAIRS = RAW_BY_CLASSES.replace("GROUP BY GROUPING SETS ((student_id), (school_class_id))", "GROUP BY student_id, school_class_id")
RAW_LABELS = {
    "school": "GROUPING SETS, WHERE school",
    "classes": "GROUPING SETS, WHERE class ids",
    "pairs": "GROUP BY student, class",
}


def timed(fn):
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def measure(info: dict, repeat: int) -> dict:
    import datetime

    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from classes.models import School, SchoolClass
    from moral_ed.models import ClassResult, DormResult, GroupResult, HeadTeacherAppraisal, StudentResult
    from moral_ed.services import evaluations as services

    school = School.objects.get(pk=info["school"])
    month = datetime.date(2026, 11, 1)
    month_end = datetime.date(2026, 11, 30)
    class_ids = list(SchoolClass.objects.filter(school=school).values_list("pk", flat=True))

    class Rollback(Exception):
        pass

    def service_run(capture=False):
        """One first run, rolled back: its time, its rows, its query count."""
        out = {}
        try:
            with transaction.atomic():
                if capture:
                    with CaptureQueriesContext(connection) as ctx:
                        t, revision = timed(lambda: services.evaluation_run(school=school, kind="monthly", period_start=month))
                    out["queries"] = [q["sql"] for q in ctx.captured_queries]
                else:
                    t, revision = timed(lambda: services.evaluation_run(school=school, kind="monthly", period_start=month))
                out["time"] = t
                out["rows"] = {
                    "class results": ClassResult.objects.filter(revision=revision).count(),
                    "student totals": StudentResult.objects.filter(revision=revision).count(),
                    "group results": GroupResult.objects.filter(revision=revision).count(),
                    "dorm results": DormResult.objects.filter(revision=revision).count(),
                    "appraisals": HeadTeacherAppraisal.objects.filter(revision=revision).count(),
                }
                out["civilized"] = ClassResult.objects.filter(revision=revision, civilized=True).count()
                out["vetoed"] = ClassResult.objects.filter(revision=revision, vetoed=True).count()
                out["digest"] = revision.digest
                # A second run over the same ledgers: compute and compare only.
                out["rerun"], again = timed(lambda: services.evaluation_run(school=school, kind="monthly", period_start=month))
                assert again.pk == revision.pk and again.outcome == "unchanged"
                raise Rollback
        except Rollback:
            pass
        return out

    def raw(kind):
        sql, params = raws[kind]

        def go():
            with connection.cursor() as cur:
                cur.execute(sql, params)
                rows = cur.fetchall()
            if kind == "pairs":
                # The class totals, from the (student, class) rows.
                totals = {}
                for row in rows:
                    totals[row[1]] = totals.get(row[1], 0) + row[7]
            return rows

        return timed(go)

    raws = {
        "school": (RAW_BY_SCHOOL, [school.pk, month, month_end]),
        "classes": (RAW_BY_CLASSES, [school.pk, class_ids, month, month_end]),
        "pairs": (RAW_PAIRS, [school.pk, class_ids, month, month_end]),
    }

    log("warm-up: each side once (caches, plans)")
    first = service_run(capture=True)
    for kind in raws:
        raw(kind)

    service_times, rerun_times = [], []
    raw_times = {kind: [] for kind in raws}
    raw_rows = {}
    for r in range(repeat):
        # Alternate the order so a change in the machine's load hits both sides.
        order = ("service", *raws) if r % 2 == 0 else (*reversed(list(raws)), "service")
        for side in order:
            if side == "service":
                got = service_run()
                service_times.append(got["time"])
                rerun_times.append(got["rerun"])
                assert got["digest"] == first["digest"]
            else:
                t, rows = raw(side)
                raw_times[side].append(t)
                raw_rows[side] = len(rows)
        log(f"  round {r + 1}: service {service_times[-1]:.3f} s (re-run {rerun_times[-1]:.3f} s) | raw SQL "
            + ", ".join(f"{raw_times[k][-1]:.3f} s {RAW_LABELS[k]}" for k in raws))

    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM moral_ed_conductevent WHERE school_id = %s AND occurred_on BETWEEN %s AND %s",
            [school.pk, month, month_end],
        )
        month_rows = cur.fetchone()[0]
        plans = {}
        for kind, (sql, params) in raws.items():
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plans[f"raw SQL, {RAW_LABELS[kind]}"] = [row[0] for row in cur.fetchall()]
        heavy = [q for q in first["queries"] if "moral_ed_conductevent" in q and "GROUP BY" in q]
        for n, sql in enumerate(heavy, 1):
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plans[f"service statement {n}: {'students' if 'morality' in sql else 'classes'}"] = [row[0] for row in cur.fetchall()]

    tx = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")
    return {
        "service": service_times,
        "rerun": rerun_times,
        "raw": raw_times,
        "raw_rows": raw_rows,
        "month_rows": month_rows,
        "rows": first["rows"],
        "civilized": first["civilized"],
        "vetoed": first["vetoed"],
        "digest": first["digest"],
        "queries": [q for q in first["queries"] if not q.startswith(tx)],
        "plans": plans,
    }


def report(args, counts, result, generation, load_before):
    med = statistics.median
    service = med(result["service"])
    raw = {kind: med(times) for kind, times in result["raw"].items()}
    best = min(raw, key=raw.get)
    ratio = service / raw[best]
    print()
    print("=" * 100)
    print(f"banwu bench: the monthly evaluation of one school ({os.cpu_count()} cores, PostgreSQL, {args.repeat} runs each, median)")
    print(f"load average        before {load_before}, after {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    ledgers = ", ".join(f"{table.removeprefix('moral_ed_')} {n:,}" for table, n in counts.items())
    print(f"ledgers             {ledgers}")
    print(f"November 2026       {result['month_rows']:,} conduct entries (2 % voided)")
    if generation:
        print(f"generation          {generation:.0f} s (school by bulk_create, ledgers by INSERT … SELECT generate_series, indexes, VACUUM ANALYZE)")
    print("-" * 100)
    print(f"rows written        {', '.join(f'{k} {v:,}' for k, v in result['rows'].items())}; "
          f"{result['civilized']} civilized, {result['vetoed']} vetoed; digest {result['digest'][:12]}")
    print(f"evaluation_run      {service:.3f} s  (runs: {', '.join(f'{t:.3f}' for t in result['service'])}); "
          f"{len(result['queries'])} queries")
    print(f"  re-run, unchanged {med(result['rerun']):.3f} s  (compute and compare, nothing written)")
    for kind, seconds in raw.items():
        runs = ", ".join(f"{t:.3f}" for t in result["raw"][kind])
        mark = "  <- baseline" if kind == best else ""
        print(f"raw SQL             {seconds:.3f} s  {RAW_LABELS[kind]} (runs: {runs}); {result['raw_rows'][kind]:,} rows{mark}")
    verdict = "ok" if ratio <= GOAL else "GOAL MISSED"
    print(f"ratio               {ratio:.2f} (evaluation_run / the fastest raw SQL; goal <= {GOAL:g}) {verdict}")
    print("-" * 100)
    print("the service's statements:")
    for n, sql in enumerate(result["queries"], 1):
        print(f"  {n:2}. {sql[:140]}")
    for label, plan in result["plans"].items():
        print("-" * 100)
        print(f"EXPLAIN ANALYZE, {label}:")
        for line in plan:
            print(f"  {line}")
    print("=" * 100)
    print(f"finished in {time.monotonic() - STARTED:.0f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=EVENTS, help="conduct entries in the term")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep-db", action="store_true", help=f"leave {DB_NAME} for inspection")
    parser.add_argument("--reuse", action="store_true", help=f"measure on the {DB_NAME} a --keep-db run left")
    args = parser.parse_args()

    load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
    tmp = Path(tempfile.mkdtemp(prefix="banwu-evalbench-"))
    prepare_environment(tmp)
    sys.path.insert(0, str(ROOT))
    keep = args.keep_db or args.reuse
    try:
        if args.reuse:
            import django

            django.setup()
            from django.db import connections

            info, counts = existing_school()
            generation = 0.0
            log(f"database {DB_NAME}: reused as a --keep-db run left it")
        else:
            log(f"database {DB_NAME}: drop, create, migrate")
            recreate_database()
            import django

            django.setup()
            from django.core.management import call_command
            from django.db import connections

            call_command("migrate", verbosity=0, interactive=False)
            t0 = time.monotonic()
            log(f"school: {len(GRADES) * CLASSES_PER_GRADE} classes, {len(GRADES) * CLASSES_PER_GRADE * CLASS_SIZE:,} students (bulk_create)")
            info = build_school()
            add_vetoes(info)
            connections.close_all()
            log(f"ledgers: {args.events:,} conduct entries and the term's inspections, group and dorm entries (SQL)")
            counts = load_ledgers(info, args.events)
            generation = time.monotonic() - t0
            log(f"generated in {generation:.0f} s")
        result = measure(info, args.repeat)
        connections.close_all()
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:
            pass
        if not keep:
            drop_database()
    report(args, counts, result, generation, load_before)


if __name__ == "__main__":
    main()
