#!/usr/bin/env python
"""Repairs benchmark: district-scale data, gunicorn with DEBUG off, 4 concurrent clients.

    .venv/bin/python bench/bench_repairs.py            # seed (if needed) and measure 10k and 1M
    .venv/bin/python bench/bench_repairs.py --reseed   # drop and seed the bench databases again
    .venv/bin/python bench/bench_repairs.py --requests 800 --workers 4

1. Seeds two PostgreSQL databases with ``bench/repairs_seed.py`` (COPY): ``houqin_bench_10k`` (10,000
   tickets, all in school 1) and ``houqin_bench`` (1,000,011 tickets: 100,000 in school 1, the rest over
   19 more schools of the district). ``BENCH_PG`` (default ``postgres://postgres@127.0.0.1:5432``).
2. Starts gunicorn (``--workers``, default 4) on a free port on 127.0.0.1 with
   ``bench/repairs_settings.py`` (production settings, DEBUG off, no cache, an ``X-Queries`` header
   and the floor view at ``/bench/floor/`` — which exists only here).
3. Logs in as the logistics head of school 1 (session cookie) and measures, with 4 client threads,
   p50/p95 latency, throughput and SQL queries per request of: the floor, the HTML list, the HTML
   ticket page, the API list (first page, filtered, deep page), the API detail and the figures.
4. Prints markdown tables (also written to ``var/bench-repairs.md``).

Not run by ``make test``.
"""

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DATASETS = [
    ("10k", "houqin_bench_10k", [10_000] + [0] * 19),
    ("1M", "houqin_bench", [100_000] + [47_369] * 19),
]
ENDPOINTS = [
    ("floor (minimal ORM view, JSON)", "/bench/floor/"),
    ("HTML list, 25 rows", "/repairs/tickets/"),
    ("HTML ticket page", "/repairs/tickets/{id}/"),
    ("API list, first page (50)", "/api/v1/repairs/tickets/"),
    ("API list, filtered", "/api/v1/repairs/tickets/?status=confirmed&trade=carpentry"),
    ("API list, deep page (page 200)", "/api/v1/repairs/tickets/?page=200"),
    ("API detail", "/api/v1/repairs/tickets/{id}/"),
    ("API stats (this term)", "/api/v1/repairs/stats/"),
]
CLIENTS = 4


def pg(dbname):
    parsed = urllib.parse.urlparse(PG)
    return parsed, f"{PG}/{dbname}"


def psql(dbname, sql):
    parsed, _url = pg(dbname)
    result = subprocess.run(
        [
            "psql",
            "-h",
            parsed.hostname,
            "-p",
            str(parsed.port or 5432),
            "-U",
            parsed.username or "postgres",
            "-d",
            dbname,
            "-tAc",
            sql,
        ],
        capture_output=True,
        text=True,
    )
    return result.returncode, result.stdout.strip()


def ensure_seeded(name, dbname, counts, reseed):
    code, out = psql(dbname, "SELECT count(*) FROM repairs_ticket")
    if code == 0 and not reseed and out.isdigit() and int(out) == sum(counts):
        print(f"[{name}] {dbname}: {int(out):,} tickets already seeded")
        return
    parsed, url = pg(dbname)
    conn = ["-h", parsed.hostname, "-p", str(parsed.port or 5432), "-U", parsed.username or "postgres"]
    subprocess.run(["dropdb", *conn, "--if-exists", dbname], check=True)
    subprocess.run(["createdb", *conn, dbname], check=True)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "logistics.settings"}
    started = time.monotonic()
    subprocess.run([PYTHON, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    print(f"[{name}] migrated {dbname} in {time.monotonic() - started:.0f}s; seeding {sum(counts):,} tickets…")
    subprocess.run([PYTHON, __file__, "_seed", ",".join(map(str, counts))], cwd=ROOT, env=env, check=True)


def seed_here(counts):
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    import django

    django.setup()
    from repairs_seed import seed

    seed([int(c) for c in counts.split(",")])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, dbname, workers):
        self.port = free_port()
        _parsed, url = pg(dbname)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "repairs_settings",
            "PYTHONPATH": f"{ROOT / 'bench'}{os.pathsep}{ROOT}",
            "DEBUG": "0",
            "CONN_MAX_AGE": "600",
        }
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
        for _ in range(100):
            try:
                status, _h, _b = self.request("GET", "/healthz")
                if status in (200, 503):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            data = response.read()
            return response.status, response.headers, data
        finally:
            connection.close()

    def login(self, username, password="bench1234"):  # noqa: S107 — the seeded bench users
        _status, headers, body = self.request("GET", "/accounts/login/")
        csrf = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", "")).group(1)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
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
        return f"sessionid={session.group(1)}"

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def warm(server, cookie, path, ids):
    for i in range(20):
        status, _h, _b = server.request("GET", path.format(id=ids[i % len(ids)]), headers={"Cookie": cookie})
        if status != 200:
            raise RuntimeError(f"{path}: HTTP {status}")


def burst(server, cookie, path, ids, requests, offset=0):
    """``requests`` GETs of ``path`` from 4 client threads: (latencies in s, queries, errors, wall s)."""
    headers = {"Cookie": cookie, "Accept": "*/*"}
    paths = [path.format(id=ids[(offset + i) % len(ids)]) for i in range(requests)]
    latencies, queries, errors = [], [], [0]
    lock = threading.Lock()

    def client(share):
        mine, counts, failed = [], [], 0
        for p in share:
            started = time.perf_counter()
            status, response_headers, _body = server.request("GET", p, headers=headers)
            mine.append(time.perf_counter() - started)
            counts.append(int(response_headers.get("X-Queries", "-1")))
            failed += status != 200
        with lock:
            latencies.extend(mine)
            queries.extend(counts)
            errors[0] += failed

    threads = [threading.Thread(target=client, args=(paths[i::CLIENTS],)) for i in range(CLIENTS)]
    wall = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, queries, errors[0], time.perf_counter() - wall


def summary(latencies, queries, errors, wall):
    latencies = sorted(latencies)
    return {
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[max(int(len(latencies) * 0.95) - 1, 0)] * 1000,
        "rps": len(latencies) / wall,
        "queries": (min(queries), max(queries)),
        "errors": errors,
    }


def detail_ids(dbname):
    _code, ids = psql(
        dbname,
        "SELECT string_agg(id::text, ',') FROM (SELECT t.id FROM repairs_ticket t JOIN tenancy_school s ON s.id = t.school_id "
        "WHERE s.slug = 'bench-1' ORDER BY md5(t.id::text) LIMIT 200) x",
    )
    return [int(i) for i in ids.split(",")]


def run_all(datasets, workers, requests, rounds):
    """Both data sets' servers run side by side; every endpoint is measured in ``rounds`` rounds that
    alternate the data sets, so that a busy moment of the machine falls on both alike."""
    servers, cookies, ids = {}, {}, {}
    try:
        for name, dbname, _counts in datasets:
            servers[name] = Server(dbname, workers)
            cookies[name] = servers[name].login("bench-head-1")
            ids[name] = detail_ids(dbname)
        pooled = {name: {label: [[], [], 0, 0.0] for label, _p in ENDPOINTS} for name in servers}
        per_round = max(requests // rounds, CLIENTS)
        for label, path in ENDPOINTS:
            for name in servers:
                warm(servers[name], cookies[name], path, ids[name])
            for round_ in range(rounds):
                order = list(servers) if round_ % 2 == 0 else list(reversed(list(servers)))
                for name in order:
                    lat, q, err, wall = burst(
                        servers[name], cookies[name], path, ids[name], per_round, round_ * per_round
                    )
                    acc = pooled[name][label]
                    acc[0].extend(lat)
                    acc[1].extend(q)
                    acc[2] += err
                    acc[3] += wall
            for name in servers:
                r = summary(*pooled[name][label])
                pooled[name][label] = r
                print(
                    f"[{name:>3}] {label:34s} p50 {r['p50']:7.1f} ms  p95 {r['p95']:7.1f} ms  {r['rps']:6.1f} req/s  "
                    f"queries {r['queries'][0]}–{r['queries'][1]}  errors {r['errors']}",
                    flush=True,
                )
        return pooled
    finally:
        for server in servers.values():
            server.stop()


def table(all_results, requests, workers):
    small, large = all_results["10k"], all_results["1M"]
    floor_label = ENDPOINTS[0][0]
    lines = [
        f"{requests} requests per row and data set (in alternating rounds), {CLIENTS} concurrent clients, "
        f"gunicorn {workers} sync workers per data set, DEBUG off, PostgreSQL on the same 2-core machine.",
        "",
        "| Request | 1M: p50 ms | 1M: p95 ms | 1M: req/s | queries | p95 ÷ floor | 10k: p95 ms | 1M ÷ 10k (p95) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, _path in ENDPOINTS:
        big, little = large[label], small[label]
        q = big["queries"]
        queries = f"{q[0]}" if q[0] == q[1] else f"{q[0]}–{q[1]}"
        lines.append(
            f"| {label} | {big['p50']:.1f} | {big['p95']:.1f} | {big['rps']:.0f} | {queries} | "
            f"{big['p95'] / large[floor_label]['p95']:.2f} | {little['p95']:.1f} | {big['p95'] / little['p95']:.2f} |"
        )
    return "\n".join(lines)


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "_seed":
        return seed_here(sys.argv[2])
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reseed", action="store_true", help="drop and seed the bench databases again")
    parser.add_argument("--requests", type=int, default=600, help="measured requests per endpoint")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--rounds", type=int, default=4, help="alternating rounds per endpoint")
    parser.add_argument("--only", choices=[d[0] for d in DATASETS], help="one data set")
    args = parser.parse_args()
    datasets = [d for d in DATASETS if not args.only or d[0] == args.only]
    for name, dbname, counts in datasets:
        ensure_seeded(name, dbname, counts, args.reseed)
    load_before = os.getloadavg()[0]
    results = run_all(datasets, args.workers, args.requests, args.rounds)
    load_after = os.getloadavg()[0]
    print(f"load average before/after: {load_before:.2f} / {load_after:.2f}")
    if len(results) == 2:
        text = table(results, args.requests, args.workers)
        text += f"\n\nLoad average (1 min) before / after the run: {load_before:.2f} / {load_after:.2f}."
        print()
        print(text)
        out = ROOT / "var" / "bench-repairs.md"
        out.parent.mkdir(exist_ok=True)
        out.write_text(text + "\n", encoding="utf-8")
        print(f"\n(written to {out})")


if __name__ == "__main__":
    main()
