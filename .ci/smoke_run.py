"""Start `make run` against an empty SQLite database in a temporary folder,
wait for the login page, log in as every demo login and check that each
lands on the home page of their role. Stops the server group at the end."""

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

PORT = int(os.environ.get("SMOKE_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
# login → the path its home page starts with
EXPECTED = {
    "admin": "/admin/",
    "office": "/classes/",
    "teacher": "/classes/",
    "parent": "/portal/",
    "counsellor": "/classes/",
    "principal": "/classes/",
    "maths": "/classes/",
}


def open_url(opener, url, data=None):
    body = urllib.parse.urlencode(data).encode() if data else None
    request = urllib.request.Request(url, data=body, headers={"Referer": BASE + "/login/"})
    with opener.open(request, timeout=20) as response:
        return response.geturl(), response.status, response.read().decode()


def login(username):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    _, _, page = open_url(opener, BASE + "/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    url, status, page = open_url(
        opener, BASE + "/login/", {"csrfmiddlewaretoken": token, "username": username, "password": "banwu-demo"}
    )
    return urllib.parse.urlparse(url).path, status, page


def main():
    var = tempfile.mkdtemp(prefix="banwu-smoke-")
    env = dict(os.environ, BANWU_VAR_DIR=var, PORT=str(PORT))
    server = subprocess.Popen(["make", "run"], env=env, start_new_session=True)
    try:
        deadline = time.time() + 300
        while True:
            try:
                with urllib.request.urlopen(BASE + "/login/", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.time() > deadline or server.poll() is not None:
                print("make run did not serve the login page", file=sys.stderr)
                return 1
            time.sleep(2)
        print("login page served")
        failures = 0
        for username, prefix in EXPECTED.items():
            path, status, page = login(username)
            ok = status == 200 and path.startswith(prefix) and "/login/" not in path
            failures += not ok
            print(f"{'ok ' if ok else 'FAIL'} {username:<11} → {path} ({status})")
        print(f"smoke: {len(EXPECTED) - failures} of {len(EXPECTED)} demo logins reached their home page")
        return 1 if failures else 0
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
        # make may exit before Celery's worker ends its warm shutdown: wait
        # for the whole group, then kill what is left, so nothing of the run
        # outlives it (a stray worker would keep consuming the queue).
        deadline = time.monotonic() + 20
        try:
            while time.monotonic() < deadline:
                os.killpg(server.pid, 0)
                time.sleep(0.5)
            os.killpg(server.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


if __name__ == "__main__":
    sys.exit(main())
