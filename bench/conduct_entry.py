"""Conduct entry and the class page, each against a hand-written baseline.

    .venv/bin/python bench/conduct_entry.py            # about 2 minutes on 2 cores

In ONE run, on ONE gunicorn (config.wsgi, 2 sync workers, DEBUG=0,
PostgreSQL, Redis cache, bench.settings = the product's settings plus two
baseline URLs) it measures:

  (a) conduct-entry POST: moral_ed:points_record as htmx (1 student, 1
      item, logged in as the head teacher, with the CSRF token) against
      bench.views.bare_insert (one INSERT, a tiny answer). Goal >= 0.5x.
  (b) the class page: moral_ed:class_entry GET (45 students) against
      bench.views.raw_class_page (two raw SQL queries, the same HTML by
      string joins). Goal >= 0.35x.

Both baselines go through the same middleware stack as the product. The
sides alternate (A B, then B A ...) in short rounds so machine noise hits
both; it prints req/s, p50 and p99 for each side, the ratios, the two page
sizes, and the POST's query count with its SQL (captured in-process).
It drops and re-creates the PostgreSQL database banwu_bench. Figures and
their reading: docs/performance.md.

Options: --rounds N (20), --seconds S per side and round (1), --concurrency C
(4 client threads), --sessions db|cached_db|cache (a bench-only override
of the product's SESSION_ENGINE, announced in the output), --events N
(2000 earlier events of the class), --keep-db.
"""

import argparse
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "banwu_bench"
PG = "postgres://postgres@127.0.0.1:5432"
REDIS_DB = "rediscache://127.0.0.1:6379/13"
CLASS_SIZE = 45
OLD_EVENTS = 2000
PASSWORD = "bench-pass-5731"
WORKERS = 2
GOALS = {"post": 0.5, "page": 0.35}


STARTED = time.monotonic()


def log(msg):
    print(f"[{time.monotonic() - STARTED:5.1f} s] {msg}", flush=True)


# --- Setup -----------------------------------------------------------------------


def prepare_environment(tmp: Path, sessions: str) -> dict:
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "CACHE_URL": REDIS_DB,
        "STATIC_ROOT": str(tmp / "static"),
        "BANWU_VAR_DIR": str(tmp / "var"),
        "LOG_LEVEL": "WARNING",
    }
    if sessions:
        env["BENCH_SESSION_ENGINE"] = f"django.contrib.sessions.backends.{sessions}"
    else:
        os.environ.pop("BENCH_SESSION_ENGINE", None)
    os.environ.update(env)
    return env


def recreate_database():
    import psycopg2

    conn = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        cur.execute(f"CREATE DATABASE {DB_NAME}")
    conn.close()


def drop_database():
    import psycopg2

    conn = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    conn.close()


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
GIVEN = "子涵欣怡梓轩浩然雨桐宇航思源佳琪一诺梦瑶俊杰紫萱博文晨曦嘉怡天佑若曦明轩可馨皓宇雅琪"


def seed(rng: random.Random, old_events: int) -> dict:
    """One school, its current term, one class of 45 with a head teacher,
    the default items and 2,000 earlier events: bulk_create throughout."""
    import datetime

    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils import timezone

    from accounts.models import Membership, Role, User
    from classes.models import Grade, School, SchoolClass, SchoolYear, TeachingAssignment, Term, default_class_name
    from moral_ed.models import ConductEvent, ConductItem, Disclosure
    from moral_ed.services.defaults import defaults_install
    from students.models import Enrollment, Student

    today = timezone.localdate()
    school = School.objects.create(code="BENCH", name="基准实验小学")
    year = SchoolYear.objects.create(
        school=school, name="bench", start_date=today - datetime.timedelta(days=90), end_date=today + datetime.timedelta(days=270)
    )
    term = Term.objects.create(
        school=school, school_year=year, number=1, is_current=True,
        start_date=today - datetime.timedelta(days=60), end_date=today + datetime.timedelta(days=100),
    )
    grade = Grade.objects.create(school=school, level=6, name="")
    school_class = SchoolClass.objects.create(school=school, school_year=year, grade=grade, number=2, name=default_class_name(6, 2))
    teacher = User.objects.create(username="bench_head", full_name="王老师", password=make_password(PASSWORD))
    Membership.objects.bulk_create([Membership(user=teacher, school=school, role=Role.HEAD_TEACHER)])
    TeachingAssignment.objects.bulk_create(
        [TeachingAssignment(school=school, term=term, school_class=school_class, teacher=teacher, is_head_teacher=True)]
    )
    students = Student.objects.bulk_create(
        [
            Student(
                school=school,
                student_number=f"2026{i:04d}",
                name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2)),
                gender=rng.choice("FM"),
            )
            for i in range(1, CLASS_SIZE + 1)
        ]
    )
    Enrollment.objects.bulk_create(
        [Enrollment(school=school, student=s, school_class=school_class, school_year=year, start_date=year.start_date) for s in students]
    )
    defaults_install(school=school)
    items = list(ConductItem.objects.filter(school=school))
    now = timezone.now()
    events = []
    for n in range(old_events):
        item = rng.choice(items)
        # Most days of the term so far; about 2% of the events are today's.
        day = today if n % 50 == 0 else today - datetime.timedelta(days=rng.randint(1, 60))
        created = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8 + n % 9, n % 60)))
        voided = n % 40 == 7
        events.append(
            ConductEvent(
                school=school, term=term, student=rng.choice(students), school_class=school_class, item=item,
                dimension=item.dimension, points=item.points, occurred_on=day, recorded_by=teacher,
                created_at=min(created, now), batch=uuid.uuid4(), disclosure=Disclosure.RELEASED,
                released_at=min(created, now),
                voided_by=teacher if voided else None, voided_at=min(created, now) if voided else None,
                void_reason="记错了学生" if voided else "",
            )
        )
    ConductEvent.objects.bulk_create(events, batch_size=1000)
    with connection.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS bench_insert (id bigserial primary key, n int, created timestamptz)")
        cur.execute("ANALYZE")
    # The POST uses a positive item with no daily cap, so no entry is refused.
    item = next(i for i in items if i.name == "上课积极发言")
    assert item.daily_cap is None and item.points > 0
    return {
        "class_id": school_class.pk,
        "student_ids": [s.pk for s in students],
        "item_id": item.pk,
        "teacher_id": teacher.pk,
    }


def capture_queries(data: dict, engines: list[str]) -> dict:
    """The real POST (and page) under CaptureQueriesContext, through the
    whole middleware stack (django.test.Client), once per session engine.
    The session is warmed by a first request, as a running session is."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import reverse

    from accounts.models import User

    user = User.objects.get(pk=data["teacher_id"])
    post_url = reverse("moral_ed:points_record", args=[data["class_id"]])
    page_url = reverse("moral_ed:class_entry", args=[data["class_id"]])
    body = {"students": [data["student_ids"][0]], "item": data["item_id"]}
    result = {}
    for engine in engines:
        with override_settings(SESSION_ENGINE=f"django.contrib.sessions.backends.{engine}"):
            client = Client()
            client.force_login(user)
            assert client.post(post_url, {**body, "request_key": str(uuid.uuid4())}, HTTP_HX_REQUEST="true").status_code == 200
            with CaptureQueriesContext(connection) as post_ctx:
                response = client.post(post_url, {**body, "request_key": str(uuid.uuid4())}, HTTP_HX_REQUEST="true")
            assert response.status_code == 200, response.content[:300]
            with CaptureQueriesContext(connection) as page_ctx:
                response = client.get(page_url)
            assert response.status_code == 200
        result[engine] = {"post": [q["sql"] for q in post_ctx.captured_queries], "page": [q["sql"] for q in page_ctx.captured_queries]}
    return result


def collectstatic(env: dict) -> str:
    """The product's collectstatic (DEBUG=0: whitenoise's manifest storage);
    if that fails, say why and fall back to bench.storage (see bench/settings.py)."""
    cmd = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
    done = subprocess.run(cmd, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True)
    if done.returncode == 0:
        return ""
    reason = next((line for line in done.stderr.splitlines() if "Error" in line), done.stderr.strip()[-300:])
    note = f"WARNING: the product's collectstatic fails ({reason.strip()}); static files collected with bench.storage.SkipJsSourceMapsStorage"
    log(note)
    env["BENCH_STATIC_SKIP_JS_SOURCEMAPS"] = "1"
    os.environ["BENCH_STATIC_SKIP_JS_SOURCEMAPS"] = "1"
    done = subprocess.run(cmd, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit("collectstatic failed:\n" + done.stderr[-3000:])
    return note


# --- The server ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int, env: dict, tmp: Path) -> subprocess.Popen:
    gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    if not gunicorn.exists():
        gunicorn = Path(shutil.which("gunicorn") or "gunicorn")
    cmd = [
        str(gunicorn), "config.wsgi:application",
        "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
        "--error-logfile", str(tmp / "gunicorn.log"), "--log-level", "warning",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env}, stdin=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"gunicorn exited at start; see {tmp / 'gunicorn.log'}:\n" + (tmp / "gunicorn.log").read_text()[-3000:])
        try:
            status, _, _ = http(port, "GET", "/login/")
            if status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.2)
    stop_gunicorn(proc)
    sys.exit("gunicorn did not answer within 30 s")


def stop_gunicorn(proc: subprocess.Popen):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --- HTTP ---------------------------------------------------------------------------


def build_request(port: int, method: str, path: str, headers: dict | None = None, body: str = "") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    if method == "POST":
        lines.append("Content-Type: application/x-www-form-urlencoded")
        lines.append(f"Content-Length: {len(body.encode())}")
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


def send(port: int, raw: bytes, timeout: float = 10.0) -> bytes:
    """One request on a fresh connection (gunicorn's sync workers close
    every connection), read to the end."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(raw)
        chunks = []
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def parse(response: bytes):
    head, _, body = response.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = [tuple(part.strip() for part in line.split(":", 1)) for line in lines[1:] if ":" in line]
    return status, headers, body


def http(port, method, path, headers=None, body=""):
    return parse(send(port, build_request(port, method, path, headers, body)))


def cookies_from(headers) -> dict:
    jar = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            jar[key] = rest.split(";", 1)[0]
    return jar


def login(port: int) -> dict:
    """The real login page: GET for the CSRF cookie and token, POST the form."""
    status, headers, body = http(port, "GET", "/login/")
    jar = cookies_from(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "bench_head", "password": PASSWORD})
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    status, headers, body = http(port, "POST", "/login/", {"Cookie": cookie}, form)
    if status != 302:
        sys.exit(f"login failed with {status}: {body[:500]!r}")
    jar.update(cookies_from(headers))
    return jar


# --- Load ---------------------------------------------------------------------------


# A POST carries a new request key each time (core.idempotency: a key sent
# again would be answered from the stored answer, not recorded): requests
# hold this slot, filled with a fresh UUID of the same length at each send.
KEY_SLOT = b"00000000-0000-4000-8000-000000000000"


def run_slice(port: int, requests: list[bytes], seconds: float, concurrency: int, max_requests: int):
    """`concurrency` threads send the requests (cycling through the list)
    until `seconds` pass or `max_requests` are sent. Returns latencies (s),
    errors, wall time, client CPU time."""
    latencies, errors = [], []
    lock = threading.Lock()
    counter = iter(range(max_requests))
    deadline = time.perf_counter() + seconds

    def worker():
        mine = []
        while time.perf_counter() < deadline:
            with lock:
                n = next(counter, None)
            if n is None:
                break
            raw = requests[n % len(requests)]
            if KEY_SLOT in raw:
                raw = raw.replace(KEY_SLOT, str(uuid.uuid4()).encode())
            t0 = time.perf_counter()
            try:
                response = send(port, raw)
                status = int(response[9:12])
            except (OSError, ValueError) as e:
                errors.append(repr(e))
                continue
            mine.append(time.perf_counter() - t0)
            if status != 200:
                errors.append(f"HTTP {status}: {response[:300]!r}")
        with lock:
            latencies.extend(mine)

    cpu0, t0 = time.process_time(), time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors, time.perf_counter() - t0, time.process_time() - cpu0


class ServerCpu:
    """CPU seconds used by the gunicorn workers and their PostgreSQL
    backends (from /proc). Other work on the machine takes wall time from
    both sides but does not add to this, so CPU per request is the steadier
    reading when the machine is shared."""

    def __init__(self, master_pid: int):
        import psycopg2

        self.master = master_pid
        self.tick = os.sysconf("SC_CLK_TCK")
        self.conn = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname=DB_NAME)
        self.conn.autocommit = True

    def _pids(self):
        pids = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == self.master:  # ppid
                    pids.append(int(entry))
        with self.conn.cursor() as cur:
            cur.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [DB_NAME])
            pids += [row[0] for row in cur.fetchall()]
        return pids

    def sample(self) -> dict:
        times = {}
        for pid in self._pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            times[pid] = (int(fields[11]) + int(fields[12])) / self.tick  # utime + stime
        return times

    @staticmethod
    def used(before: dict, after: dict) -> float:
        return sum(after[pid] - before[pid] for pid in after.keys() & before.keys())

    def close(self):
        self.conn.close()


class Side:
    def __init__(self, label, requests):
        self.label, self.requests = label, requests
        self.latencies, self.errors, self.wall, self.cpu, self.server_cpu, self.rounds = [], [], 0.0, 0.0, 0.0, []

    def add(self, latencies, errors, wall, cpu, server_cpu):
        self.latencies += latencies
        self.errors += errors
        self.wall += wall
        self.cpu += cpu
        self.server_cpu += server_cpu
        self.rounds.append(len(latencies) / wall)

    @property
    def rps(self):
        return len(self.latencies) / self.wall

    @property
    def cpu_ms(self):
        return self.server_cpu / max(1, len(self.latencies)) * 1000

    def pct(self, p):
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000

    def text(self):
        return f"{self.label}: {self.rps:5.0f} req/s p50 {self.pct(50):5.1f} ms p99 {self.pct(99):5.1f} ms"


def measure(port, pair, rounds, seconds, concurrency, max_requests, cpu: ServerCpu):
    a, b = pair
    for r in range(rounds):
        # A B, then B A, in short slices: a change in the machine's load hits both sides.
        for side in (a, b) if r % 2 == 0 else (b, a):
            before = cpu.sample()
            result = run_slice(port, side.requests, seconds, concurrency, max_requests)
            side.add(*result, ServerCpu.used(before, cpu.sample()))
            if len(side.errors) > 20:
                raise SystemExit(f"{side.label}: {len(side.errors)} errors, first: {side.errors[0]}")


# --- Main ---------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=1.0, help="per side and round")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--max-requests", type=int, default=20000, help="per side and round")
    parser.add_argument(
        "--sessions", choices=["db", "cached_db", "cache"], default=None,
        help="bench-only override of the product's SESSION_ENGINE (default: as config/settings.py)",
    )
    parser.add_argument("--events", type=int, default=OLD_EVENTS, help="earlier conduct events of the class")
    parser.add_argument("--keep-db", action="store_true", help="leave banwu_bench for inspection")
    args = parser.parse_args()

    started = STARTED
    load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
    tmp = Path(tempfile.mkdtemp(prefix="banwu-bench-"))
    env = prepare_environment(tmp, args.sessions)
    sys.path.insert(0, str(ROOT))
    proc = None
    try:
        log(f"database {DB_NAME}: drop, create, migrate")
        recreate_database()
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0, interactive=False)
        log(f"data: 1 class of {CLASS_SIZE}, a head teacher, default items, {args.events} earlier events (bulk_create)")
        data = seed(random.Random(20261120), args.events)
        log("collectstatic into a temporary STATIC_ROOT")
        static_note = collectstatic(env)
        session_engine = settings.SESSION_ENGINE
        configured = session_engine.rsplit(".", 1)[1]
        queries = capture_queries(data, [configured] + [e for e in ("cached_db", "db") if e != configured])
        connections.close_all()

        port = free_port()
        log(f"gunicorn config.wsgi, {WORKERS} sync workers, 127.0.0.1:{port}, SESSION_ENGINE={session_engine}")
        proc = start_gunicorn(port, env, tmp)
        jar = login(port)
        cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
        auth = {"Cookie": cookie, "X-CSRFToken": jar["csrftoken"], "HX-Request": "true"}
        cid = data["class_id"]
        post_real = [
            build_request(port, "POST", f"/conduct/class/{cid}/record/", auth,
                          f"students={sid}&item={data['item_id']}&request_key={KEY_SLOT.decode()}")
            for sid in data["student_ids"]
        ]
        post_bare = [build_request(port, "POST", "/bench/insert/", auth, "n=1")]
        page_real = [build_request(port, "GET", f"/conduct/class/{cid}/", {"Cookie": cookie})]
        page_raw = [build_request(port, "GET", f"/bench/class/{cid}/", {"Cookie": cookie})]

        # Each side once, checked, before anything is timed.
        sizes = {}
        for name, raw, must in (
            ("post_real", post_real[0], b'data-recorded="1"'),
            ("post_bare", post_bare[0], b"ok"),
            ("page_real", page_real[0], b"student-card"),
            ("page_raw", page_raw[0], b"student-card"),
        ):
            status, _, body = parse(send(port, raw.replace(KEY_SLOT, str(uuid.uuid4()).encode())))
            if status != 200 or must not in body:
                sys.exit(f"{name}: HTTP {status}, expected {must!r} in:\n{body[:800].decode(errors='replace')}")
            sizes[name] = len(body)
            if name.startswith("page"):
                cards = body.count(b'class="student-card"')
                items = body.count(b'name="item"')
                if cards != CLASS_SIZE:
                    sys.exit(f"{name}: {cards} students on the page, expected {CLASS_SIZE}")
                sizes[name + "_items"] = items
        if sizes["page_real_items"] != sizes["page_raw_items"]:
            sys.exit(f"the pages show different items: {sizes['page_real_items']} vs {sizes['page_raw_items']}")

        log("warm-up: 1 s per side")
        for raw in (post_real, post_bare, page_real, page_raw):
            run_slice(port, raw, 1.0, args.concurrency, 5000)

        page = (Side("banwu", page_real), Side("raw SQL", page_raw))
        post = (Side("banwu", post_real), Side("bare insert", post_bare))
        log(f"class page: {args.rounds} rounds x 2 sides x {args.seconds:g} s, {args.concurrency} client threads")
        cpu = ServerCpu(proc.pid)
        measure(port, page, args.rounds, args.seconds, args.concurrency, args.max_requests, cpu)
        log(f"conduct-entry POST: {args.rounds} rounds x 2 sides x {args.seconds:g} s, {args.concurrency} client threads")
        measure(port, post, args.rounds, args.seconds, args.concurrency, args.max_requests, cpu)
        cpu.close()
        stop_gunicorn(proc)
        server_errors = (tmp / "gunicorn.log").read_text() if (tmp / "gunicorn.log").exists() else ""
    finally:
        if proc is not None:
            stop_gunicorn(proc)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:
            pass
        cleanup_redis()
        if not args.keep_db:
            drop_database()
        shutil.rmtree(tmp, ignore_errors=True)

    report(args, session_engine, queries, sizes, post, page, server_errors, static_note, load_before, time.monotonic() - started)


def cleanup_redis():
    try:
        import redis

        client = redis.Redis.from_url(REDIS_DB.replace("rediscache://", "redis://"))
        keys = list(client.scan_iter(match="banwu_bench:*", count=1000))
        if keys:
            client.delete(*keys)
    except Exception as e:  # a leftover session key in a bench database is harmless
        log(f"redis clean-up skipped: {e}")


TX = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def data_statements(sqls) -> int:
    return sum(1 for sql in sqls if not sql.startswith(TX))


def tx_note(sqls) -> str:
    tx = [sql.split()[0] for sql in sqls if sql.startswith(TX)]
    return f" (+ {'/'.join(tx)})" if tx else ""


def product_settings():
    import config.settings

    return config.settings


def report(args, session_engine, queries, sizes, post, page, server_errors, static_note, load_before, elapsed):
    def ratio_line(name, pair, goal):
        a, b = pair
        ratio = a.rps / b.rps
        rounds = sorted(x / y for x, y in zip(a.rounds, b.rounds, strict=True))
        per_round = f"median {rounds[len(rounds) // 2]:.2f}, range {rounds[0]:.2f}-{rounds[-1]:.2f}"
        cpu = f"{a.cpu_ms:.1f} ms vs {b.cpu_ms:.1f} ms, ratio {b.cpu_ms / a.cpu_ms:.2f}"
        verdict = "ok" if ratio >= goal else "GOAL MISSED"
        line = f"{name:<19} {a.text()} | {b.text()} | ratio {ratio:.3f} (goal >= {goal}) {verdict}"
        return line, per_round, cpu, ratio

    print()
    print("=" * 100)
    print(f"banwu bench: conduct entry and the class page ({os.cpu_count()} cores, gunicorn {WORKERS} sync workers, "
          f"{args.concurrency} client threads, {args.rounds} rounds x {args.seconds:g} s per side)")
    product_engine = getattr(product_settings(), "SESSION_ENGINE", "django.contrib.sessions.backends.db")
    if session_engine != product_engine:
        print(f"NOTE: bench-only SESSION_ENGINE={session_engine} (config/settings.py has {product_engine}); "
              "this run measures that change, not the product as configured")
    else:
        print(f"sessions: {session_engine} (as config/settings.py); cache: Redis via CACHE_URL (as production)")
    print(f"load average        before {load_before}, after {' '.join(f'{x:.1f}' for x in os.getloadavg())} (other work on the machine slows both sides)")
    if static_note:
        print(static_note)
    print("-" * 100)
    post_line, post_rounds, post_cpu, post_ratio = ratio_line("conduct-entry POST", post, GOALS["post"])
    page_line, page_rounds, page_cpu, page_ratio = ratio_line("class page", page, GOALS["page"])
    print(post_line)
    print(page_line)
    print(f"ratio per round     POST: {post_rounds} | page: {page_rounds}")
    print(f"server CPU/request  POST: {post_cpu} | page: {page_cpu} (gunicorn workers + their PostgreSQL backends)")
    print(f"HTML size           class page banwu: {sizes['page_real']} bytes | raw SQL: {sizes['page_raw']} bytes "
          f"({sizes['page_real_items']} item buttons each, {CLASS_SIZE} students)")
    print(f"response size       POST banwu: {sizes['post_real']} bytes | bare insert: {sizes['post_bare']} bytes")
    requests = sum(len(s.latencies) for s in post + page)
    cpu = sum(s.cpu for s in post + page)
    wall = sum(s.wall for s in post + page)
    print(f"client              {requests} requests, client CPU {cpu / wall * 100:.0f}% of one core while measuring")
    for engine, q in queries.items():
        tag = "as configured" if engine == session_engine.rsplit(".", 1)[1] else "for comparison"
        print(f"conduct-entry POST: {data_statements(q['post'])} queries{tx_note(q['post'])} with {engine} sessions ({tag}); "
              f"class page: {data_statements(q['page'])} queries")
    print("-" * 100)
    for engine, q in queries.items():
        print(f"SQL of one conduct-entry POST, {engine} sessions:")
        for n, sql in enumerate(q["post"], 1):
            print(f"  {n}. {sql[:150]}")
    if server_errors.strip():
        print("-" * 100)
        print("gunicorn error log (tail):")
        print(server_errors[-2000:])
    print("=" * 100)
    missed = [n for n, r, g in (("POST", post_ratio, GOALS["post"]), ("class page", page_ratio, GOALS["page"])) if r < g]
    if missed:
        print(f"GOAL MISSED: {', '.join(missed)}")
    print(f"finished in {elapsed:.0f} s")


if __name__ == "__main__":
    main()
