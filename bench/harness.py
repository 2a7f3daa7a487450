"""The harness shared by ``bench/bench_repairs.py`` and ``bench/bench_assets.py``.

- PostgreSQL: the bench databases live on ``BENCH_PG`` (default ``postgres://postgres@127.0.0.1:5432``);
  ``pg()``/``psql()`` reach them, ``ensure_seeded()`` drops, migrates and seeds one when its row count
  is not what the benchmark expects, ``copy_rows()`` is the seeders' bulk ``COPY``.
- ``Server``: gunicorn (DEBUG off, a bench settings module) on a free 127.0.0.1 port, one HTTP request
  per connection, and a form login that returns the session cookie.
- ``run_clients()``: the concurrent clients (``CLIENTS`` threads) that time each request and read its
  SQL query count from the ``X-Queries`` header; ``summary()`` turns the timings into p50/p95 (ms),
  throughput (req/s) and the query range.
- ``result_line()``/``markdown_table()``/``write_report()``: the printed output.

Standard library only (the Django side of the bench server is ``bench/floor.py``), so the scripts can
import it before Django is set up.
"""

import http.client
import importlib
import io
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import namedtuple
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
PYTHON = sys.executable
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
CLIENTS = 4
#: prefix of the bench databases' names (``BENCH_DB_PREFIX``, default ``houqin_bench``), so that
#: several checkouts on one machine can each measure their own copy
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "houqin_bench")
PASSWORD = "bench1234"  # noqa: S105 — the seeded bench users' password


# PostgreSQL ------------------------------------------------------------------------------------------


def pg(dbname):
    """The parsed ``BENCH_PG`` URL and the database URL of ``dbname``."""
    return urllib.parse.urlparse(PG), f"{PG}/{dbname}"


def pg_args(parsed):
    """Host, port and user options of the PostgreSQL command-line tools."""
    return ["-h", parsed.hostname, "-p", str(parsed.port or 5432), "-U", parsed.username or "postgres"]


def psql(dbname, sql):
    """Run one statement with ``psql``: (exit code, unaligned tuples-only output)."""
    parsed, _url = pg(dbname)
    result = subprocess.run(
        ["psql", *pg_args(parsed), "-d", dbname, "-tAc", sql],
        capture_output=True,
        text=True,
    )
    return result.returncode, result.stdout.strip()


def django_env(dbname, settings="logistics.settings", **extra):
    """The environment of a Django process (manage.py, the seeder, the server) on ``dbname``."""
    _parsed, url = pg(dbname)
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": settings, **extra}


def ensure_seeded(name, dbname, counts, reseed, *, script, table, noun, at_least=False, env=None):
    """Seed ``dbname`` unless ``table`` already holds ``sum(counts)`` rows (or more, ``at_least``).

    Seeding drops and creates the database, migrates it and runs ``script _seed <counts>`` (the
    benchmark itself, which calls ``seed_here()``) in the Django environment ``env``."""
    code, out = psql(dbname, f"SELECT count(*) FROM {table}")  # noqa: S608 — our own table names
    if code == 0 and not reseed and out.isdigit():
        found = int(out)
        if found >= sum(counts) if at_least else found == sum(counts):
            print(f"[{name}] {dbname}: {found:,} {noun} already seeded; migrating to this checkout")
            subprocess.run(
                [PYTHON, "manage.py", "migrate", "-v", "0", "--skip-checks"],
                cwd=ROOT,
                env=env or django_env(dbname),
                check=True,
            )
            return
    parsed, _url = pg(dbname)
    subprocess.run(["dropdb", *pg_args(parsed), "--if-exists", dbname], check=True)
    subprocess.run(["createdb", *pg_args(parsed), dbname], check=True)
    env = env or django_env(dbname)
    started = time.monotonic()
    subprocess.run([PYTHON, "manage.py", "migrate", "-v", "0", "--skip-checks"], cwd=ROOT, env=env, check=True)
    print(f"[{name}] migrated {dbname} in {time.monotonic() - started:.0f}s; seeding {sum(counts):,} {noun}…")
    subprocess.run([PYTHON, script, "_seed", ",".join(map(str, counts))], cwd=ROOT, env=env, check=True)


def django_setup():
    """Set Django up in this process (the project and ``bench/`` importable)."""
    sys.path[:0] = [str(ROOT), str(BENCH)]
    import django

    django.setup()


def seed_here(module, counts):
    """The ``_seed`` subcommand: ``module.seed()`` with the comma-separated ``counts``."""
    django_setup()
    importlib.import_module(module).seed([int(c) for c in counts.split(",")])


def copy_rows(table, columns, rows, chunk=100_000):
    """COPY ``rows`` (tuples of already-formatted strings) into ``table`` in chunks; the row count."""
    from django.db import connection

    with connection.cursor() as cursor:
        raw = cursor.cursor
        buffer, n = io.StringIO(), 0
        for row in rows:
            buffer.write("\t".join(row))
            buffer.write("\n")
            n += 1
            if n % chunk == 0:
                buffer.seek(0)
                raw.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
                buffer = io.StringIO()
        if buffer.getvalue():
            buffer.seek(0)
            raw.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
    return n


# The server ------------------------------------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with ``settings`` (a module in ``bench/``) on ``dbname``, ``workers`` sync workers, a
    free 127.0.0.1 port; ready once ``/healthz`` answers (``tries`` × at least 0.2 s)."""

    def __init__(self, dbname, workers, settings, tries=100):
        self.port = free_port()
        # the cache every worker shares, as a deployment sets it (docs/deployment.md): kept pages and the
        # data versions they are found by are one per machine, not one per worker; emptied first
        cache_url = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/9")
        import redis

        redis.Redis.from_url(cache_url).flushdb()
        env = django_env(
            dbname,
            settings,
            PYTHONPATH=f"{BENCH}{os.pathsep}{ROOT}",
            DEBUG="0",
            CONN_MAX_AGE="600",
            CACHE_URL=cache_url,
        )
        self.process = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "logistics.wsgi:application",
                "--chdir",
                str(ROOT),
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            env=env,
        )
        for _ in range(tries):
            try:
                status, _h, _b = self.request("GET", "/healthz")
                if status in (200, 503):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def request(self, method, path, body=None, headers=None):
        """One request on a new connection: (status, headers, body)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def login(self, username, password=PASSWORD):
        """Log in through the login form; the cookies a browser keeps from it: ``sessionid=…`` and the
        CSRF cookie set at sign-in (``csrftoken=…``) — without it, every page would make a new CSRF secret
        and a kept page (keyed by it) would never be served again."""
        _status, headers, body = self.request("GET", "/accounts/login/")
        csrf = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", "")).group(1)
        # the login form's own token: the cached page header holds the language switcher's form, whose
        # token was rendered for whoever filled the cache first
        form_at = body.find(b'data-testid="login-form"')
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body[max(form_at, 0) :]).group(1).decode()
        form = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
        status, headers, _body = self.request(
            "POST",
            "/accounts/login/",
            body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf}"},
        )
        cookies = "; ".join(c.split(";")[0] for c in headers.get_all("Set-Cookie") or [])
        session = re.search(r"sessionid=([^;]+)", cookies)
        if status != 302 or not session:
            raise RuntimeError(f"login failed ({status})")
        kept = re.search(r"csrftoken=([^;]+)", cookies)
        return f"sessionid={session.group(1)}; csrftoken={kept.group(1) if kept else csrf}"

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


# The clients and the figures -------------------------------------------------------------------------

Hit = namedtuple("Hit", "path status seconds queries")


def warm(server, jobs):
    """Send ``jobs`` (method, path, body, headers) one by one, unmeasured; each must answer 200."""
    for method, path, body, headers in jobs:
        status, _h, data = server.request(method, path, body=body, headers=headers)
        if status != 200:
            raise RuntimeError(f"{method} {path}: HTTP {status} {data[:300]!r}")


def run_clients(server, jobs, clients=CLIENTS):
    """``jobs`` (method, path, body, headers) shared round-robin by ``clients`` threads that each send
    theirs one after another: ([Hit(path, status, seconds, X-Queries)], wall seconds of the whole)."""
    hits = []
    lock = threading.Lock()

    def client(share):
        mine = []
        for method, path, body, headers in share:
            started = time.perf_counter()
            status, response_headers, _body = server.request(method, path, body=body, headers=headers)
            elapsed = time.perf_counter() - started
            mine.append(Hit(path, status, elapsed, int(response_headers.get("X-Queries", "-1"))))
        with lock:
            hits.extend(mine)

    threads = [threading.Thread(target=client, args=(jobs[i::clients],)) for i in range(clients)]
    wall = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return hits, time.perf_counter() - wall


def p50_ms(seconds):
    """The median of ``seconds``, in ms."""
    return statistics.median(seconds) * 1000


def p95_ms(seconds):
    """The 95th percentile of ``seconds`` (nearest rank below), in ms."""
    ordered = sorted(seconds)
    return ordered[max(int(len(ordered) * 0.95) - 1, 0)] * 1000


def summary(latencies, queries, errors, wall):
    """p50/p95 latency (ms), throughput (requests / wall seconds), (min, max) queries, errors."""
    return {
        "p50": p50_ms(latencies),
        "p95": p95_ms(latencies),
        "rps": len(latencies) / wall,
        "queries": (min(queries), max(queries)),
        "errors": errors,
    }


# Output ----------------------------------------------------------------------------------------------


def result_line(tag, label, r):
    """One measured endpoint as printed while the benchmark runs."""
    return (
        f"[{tag}] {label:34s} p50 {r['p50']:7.1f} ms  p95 {r['p95']:7.1f} ms  {r['rps']:6.1f} req/s  "
        f"queries {r['queries'][0]}–{r['queries'][1]}  errors {r['errors']}"
    )


def queries_cell(queries):
    """``(min, max)`` queries as a table cell: ``5`` or ``5–7``."""
    low, high = queries
    return f"{low}" if low == high else f"{low}–{high}"


def markdown_table(headers, rows):
    """Lines of a markdown table: the first column left-aligned, the figures right-aligned."""
    return [
        "| " + " | ".join(headers) + " |",
        "|---|" + "---:|" * (len(headers) - 1),
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def write_report(text, filename):
    """Print the tables and write them to ``var/<filename>``."""
    print()
    print(text)
    out = ROOT / "var" / filename
    out.parent.mkdir(exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    print(f"\n(written to {out})")
