#!/usr/bin/env python
"""Assets benchmark: district-scale ledger, gunicorn with DEBUG off, 4 concurrent clients —
measured the same way as ``bench/bench_repairs.py`` (beside a minimal Django floor view, same run).

    .venv/bin/python bench/bench_assets.py            # seed (if needed) and measure 5k and 500k
    .venv/bin/python bench/bench_assets.py --reseed   # drop and seed the bench databases again
    .venv/bin/python bench/bench_assets.py --requests 400 --workers 4 --only 500k

1. Seeds two PostgreSQL databases with ``bench/assets_seed.py`` (COPY): ``houqin_bench_assets_5k``
   (5,000 assets in school 1) and ``houqin_bench_assets`` (500,015 assets: 50,000 in school 1, the rest
   over 19 more schools). ``BENCH_PG`` (default ``postgres://postgres@127.0.0.1:5432``).
2. Starts gunicorn on a free 127.0.0.1 port with ``bench/assets_settings.py`` (DEBUG off, no cache,
   ``X-Queries`` header, the floor view at ``/bench/floor/`` — only here).
3. As school 1's logistics head (session cookie; API token for the scan POST) measures p50/p95,
   throughput and queries per request: floor, ledger list page, asset page, API list (first page,
   filtered, text search), and stock-take scans (``POST /api/v1/assets/stocktakes/{id}/scan/``).
4. Times a 20,000-row XLSX import (validate + all-or-nothing import, the Celery task's code) into school 2.
5. Prints markdown tables (also ``var/bench-assets.md``). Not run by ``make test``.
"""

import argparse
import http.client
import json
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
    ("5k", "houqin_bench_assets_5k", [5_000]),
    ("500k", "houqin_bench_assets", [50_000] + [23_685] * 19),
]
ENDPOINTS = [
    ("floor (minimal ORM view, JSON)", "GET", "/bench/floor/"),
    ("ledger list page, 25 rows", "GET", "/assets/assets/"),
    ("asset page", "GET", "/assets/assets/{id}/"),
    ("API list, first page (50)", "GET", "/api/v1/assets/assets/"),
    ("API list, filtered", "GET", "/api/v1/assets/assets/?status=in_use&price_min=3000&purchased_after=2020-01-01"),
    ("API list, text search (code fragment)", "GET", "/api/v1/assets/assets/?q=01234"),
    ("stock-take scan (POST)", "POST", "/api/v1/assets/stocktakes/{stocktake}/scan/"),
]
CLIENTS = 4
IMPORT_ROWS = 20_000


def pg(dbname):
    return urllib.parse.urlparse(PG), f"{PG}/{dbname}"


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


def django_env(dbname):
    _parsed, url = pg(dbname)
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "logistics.settings",
        "CELERY_TASK_ALWAYS_EAGER": "1",
    }


def ensure_seeded(name, dbname, counts, reseed):
    code, out = psql(dbname, "SELECT count(*) FROM assets_asset")
    if code == 0 and not reseed and out.isdigit() and int(out) >= sum(counts):
        print(f"[{name}] {dbname}: {int(out):,} assets already seeded")
        return
    parsed, _url = pg(dbname)
    conn = ["-h", parsed.hostname, "-p", str(parsed.port or 5432), "-U", parsed.username or "postgres"]
    subprocess.run(["dropdb", *conn, "--if-exists", dbname], check=True)
    subprocess.run(["createdb", *conn, dbname], check=True)
    env = django_env(dbname)
    started = time.monotonic()
    subprocess.run([PYTHON, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    print(f"[{name}] migrated {dbname} in {time.monotonic() - started:.0f}s; seeding {sum(counts):,} assets…")
    subprocess.run([PYTHON, __file__, "_seed", ",".join(map(str, counts))], cwd=ROOT, env=env, check=True)


def _setup():
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    import django

    django.setup()


def seed_here(counts):
    _setup()
    from assets_seed import seed

    seed([int(c) for c in counts.split(",")])


def import_here():
    """Time a 20,000-row import into school 2 (or 1): build the XLSX, validate, import. Prints JSON."""
    _setup()
    import io
    import random

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from assets import services
    from assets.models import Asset
    from assets.services.imports import guess_mapping
    from logistics.tenancy.models import Membership, Room, School

    school = School.objects.filter(slug="bench-2").first() or School.objects.get(slug="bench-1")
    user = Membership.objects.filter(school=school, role="logistics_staff").first().user
    rooms = list(Room.objects.filter(school=school).select_related("building")[:200])
    rng = random.Random(20_000)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("台账")
    sheet.append(["资产编号", "资产名称", "分类代码", "规格型号", "单价", "购置日期", "存放地点", "管理部门", "备注"])
    stamp = int(time.time())
    for i in range(IMPORT_ROWS):
        room = rooms[i % len(rooms)]
        sheet.append(
            [
                f"IMP{stamp}-{i:05d}",
                "办公椅",
                "A05010100",
                "人体工学",
                rng.randint(1000, 3000),
                f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                f"{room.building.name}{room.name}",
                "总务处",
                "",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    before = Asset.objects.filter(school=school).count()
    started = time.perf_counter()
    import_ = services.open_import(school=school, user=user, upload=SimpleUploadedFile("bench.xlsx", buffer.getvalue()))
    services.set_mapping(import_=import_, user=user, mapping=guess_mapping(import_.headers))
    t_read = time.perf_counter()
    services.validate_import(import_=import_, user=user)
    t_valid = time.perf_counter()
    import_.refresh_from_db()
    assert import_.status == "validated", import_.errors[:3]
    services.run_import(import_=import_, user=user)
    t_done = time.perf_counter()
    import_.refresh_from_db()
    created = Asset.objects.filter(school=school).count() - before
    print(
        json.dumps(
            {
                "rows": IMPORT_ROWS,
                "created": created,
                "status": import_.status,
                "upload_s": round(t_read - started, 1),
                "validate_s": round(t_valid - t_read, 1),
                "import_s": round(t_done - t_valid, 1),
                "total_s": round(t_done - started, 1),
            }
        )
    )


def inprocess_here(dbname, requests):
    """One client, in-process (Django test client, no HTTP, no concurrency): per endpoint the median wall
    time and the mean CPU time of this process — a figure other load on the machine barely moves."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "assets_settings"
    _setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from rest_framework.test import APIClient

    ctx = context(dbname)
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-head-1"))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {ctx['token']}")
    out = {}
    for label, method, path in ENDPOINTS:
        path = path.replace("{stocktake}", str(ctx["stocktake"]))
        walls, cpu_total = [], 0.0
        for i in range(requests + 10):
            p = path.replace("{id}", str(ctx["ids"][i % len(ctx["ids"])]))
            wall, cpu = time.perf_counter(), time.process_time()
            if method == "POST":
                asset, room = ctx["scan"][i % len(ctx["scan"])]
                response = api.post(p, {"asset": asset, "room": room, "condition": "good"}, format="json")
            else:
                response = client.get(p)
            if response.status_code != 200:
                raise RuntimeError(f"{p}: {response.status_code}")
            if i >= 10:
                walls.append(time.perf_counter() - wall)
                cpu_total += time.process_time() - cpu
        out[label] = {"wall_p50": statistics.median(walls) * 1000, "cpu": cpu_total / requests * 1000}
    print(json.dumps(out))


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
            "DJANGO_SETTINGS_MODULE": "assets_settings",
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
        for _ in range(150):
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
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def login(self, username, password="bench1234"):  # noqa: S107 — the bench users' password
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


def measure(server, cookie, token, method, path, ctx, requests, paired=False):
    ids = ctx["ids"]
    path = path.replace("{stocktake}", str(ctx["stocktake"]))
    jobs = []
    for i in range(requests + 20):
        p = path.replace("{id}", str(ids[i % len(ids)]))
        if method == "POST":
            asset, room = ctx["scan"][i % len(ctx["scan"])]
            body = json.dumps({"asset": asset, "room": room, "condition": "good"})
            headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        else:
            body, headers = None, {"Cookie": cookie, "Accept": "*/*"}
        jobs.append((p, body, headers))
    jobs = [(method, *job) for job in jobs]
    for m, p, body, headers in jobs[:20]:  # warm-up
        status, _h, data = server.request(m, p, body=body, headers=headers)
        if status != 200:
            raise RuntimeError(f"{m} {p}: HTTP {status} {data[:300]!r}")
    jobs = jobs[20:]
    if paired:
        # the floor interleaved with the endpoint, so both see the same machine load
        floor = ("GET", ENDPOINTS[0][2], None, {"Cookie": cookie, "Accept": "*/*"})
        jobs = [j for job in jobs for j in (job, floor)]
    latencies, queries, errors, floor_latencies = [], [], [0], []
    lock = threading.Lock()

    def client(share):
        mine, counts, floors = [], [], []
        for m, p, body, headers in share:
            started = time.perf_counter()
            status, response_headers, _body = server.request(m, p, body=body, headers=headers)
            elapsed = time.perf_counter() - started
            if paired and p == ENDPOINTS[0][2]:
                floors.append(elapsed)
                continue
            mine.append(elapsed)
            counts.append(int(response_headers.get("X-Queries", "-1")))
            if status != 200:
                errors[0] += 1
        with lock:
            latencies.extend(mine)
            queries.extend(counts)
            floor_latencies.extend(floors)

    threads = [threading.Thread(target=client, args=(jobs[i::CLIENTS],)) for i in range(CLIENTS)]
    wall = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - wall
    latencies.sort()
    floor_latencies.sort()
    return {
        "paired_floor_p50": statistics.median(floor_latencies) * 1000 if floor_latencies else None,
        "paired_floor_p95": floor_latencies[int(len(floor_latencies) * 0.95) - 1] * 1000 if floor_latencies else None,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "rps": len(latencies) / wall,
        "queries": (min(queries), max(queries)),
        "errors": errors[0],
    }


def context(dbname):
    def ints(sql):
        _code, out = psql(dbname, sql)
        return [int(x) for x in out.replace("|", ",").split(",") if x]

    school = "(SELECT id FROM tenancy_school WHERE slug = 'bench-1')"
    ids = ints(
        f"SELECT string_agg(id::text, ',') FROM (SELECT id FROM assets_asset WHERE school_id = {school} "  # noqa: S608 — integers from our own queries
        "ORDER BY md5(id::text) LIMIT 200) x"
    )
    stocktake = ints(f"SELECT max(id) FROM assets_stocktake WHERE school_id = {school}")[0]  # noqa: S608 — integers from our own queries
    _code, out = psql(
        dbname,
        f"SELECT string_agg(asset_id::text || ':' || coalesce(expected_room_id, 0)::text, ',') FROM "  # noqa: S608 — integers from our own queries
        f"(SELECT asset_id, expected_room_id FROM assets_stocktakeline WHERE stocktake_id = {stocktake} "  # noqa: S608 — integers from our own queries
        "ORDER BY md5(asset_id::text) LIMIT 5000) x",
    )
    scan = [tuple(int(v) for v in pair.split(":")) for pair in out.split(",") if pair]
    _code, token = psql(
        dbname,
        "SELECT key FROM authtoken_token t JOIN accounts_user u ON u.id = t.user_id WHERE u.username = 'bench-staff-1'",
    )
    return {"ids": ids, "stocktake": stocktake, "scan": scan, "rooms": [], "token": token}


def run_dataset(name, dbname, workers, requests):
    ctx = context(dbname)
    server = Server(dbname, workers)
    try:
        cookie = server.login("bench-head-1")
        results = {}
        for index, (label, method, path) in enumerate(ENDPOINTS):
            results[label] = measure(server, cookie, ctx["token"], method, path, ctx, requests, paired=index > 0)
            r = results[label]
            print(
                f"[{name}] {label:34s} p50 {r['p50']:7.1f} ms  p95 {r['p95']:7.1f} ms  {r['rps']:6.1f} req/s  "
                f"queries {r['queries'][0]}–{r['queries'][1]}  errors {r['errors']}"
            )
            if r["paired_floor_p50"]:
                print(
                    f"[{name}]   … floor beside it: p50 {r['paired_floor_p50']:7.1f} ms  p95 {r['paired_floor_p95']:7.1f} ms"
                )
        return results
    finally:
        server.stop()


def run_inprocess(dbname, requests=100):
    env = {**django_env(dbname), "PYTHONPATH": f"{ROOT / 'bench'}{os.pathsep}{ROOT}"}
    out = subprocess.run(
        [PYTHON, __file__, "_inprocess", dbname, str(requests)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def run_import(dbname):
    out = subprocess.run(
        [PYTHON, __file__, "_import"], cwd=ROOT, env=django_env(dbname), check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def table(all_results, requests, workers, imported, inprocess=None):
    small, large = all_results["5k"], all_results["500k"]
    lines = [
        f"{requests} requests per row, {CLIENTS} concurrent clients, gunicorn {workers} sync workers, DEBUG off, "
        "PostgreSQL on the same machine. 500k = 500,015 assets in 20 schools (50,000 in the measured school); "
        "5k = 5,000 assets.",
        "",
        "Each endpoint is measured interleaved with the floor (every client alternates endpoint, floor), so "
        "the ratio compares the two under the same load; throughput counts both.",
        "",
        "| Request | 500k: p50 ms | 500k: p95 ms | queries | p50 ÷ floor (paired) | p95 ÷ floor (paired) | 5k: p50 ms | 5k: p50 ÷ floor | 500k ÷ 5k (p50) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, _method, _path in ENDPOINTS:
        big, little = large[label], small[label]
        q = big["queries"]
        queries = f"{q[0]}" if q[0] == q[1] else f"{q[0]}–{q[1]}"
        big_floor = (big["paired_floor_p50"] or big["p50"], big["paired_floor_p95"] or big["p95"])
        little_floor = little["paired_floor_p50"] or little["p50"]
        lines.append(
            f"| {label} | {big['p50']:.1f} | {big['p95']:.1f} | {queries} | "
            f"{big['p50'] / big_floor[0]:.2f} | {big['p95'] / big_floor[1]:.2f} | "
            f"{little['p50']:.1f} | {little['p50'] / little_floor:.2f} | {big['p50'] / little['p50']:.2f} |"
        )
    if inprocess and "500k" in inprocess and "5k" in inprocess:
        big, little = inprocess["500k"], inprocess["5k"]
        floor = ENDPOINTS[0][0]
        lines += [
            "",
            "One client, in-process (no HTTP, no concurrency; CPU = this process's CPU time per request):",
            "",
            "| Request | 500k: wall p50 ms | 500k: CPU ms | CPU ÷ floor CPU | 5k: wall p50 ms | 500k ÷ 5k (wall) |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for label, _method, _path in ENDPOINTS:
            b, li = big[label], little[label]
            lines.append(
                f"| {label} | {b['wall_p50']:.1f} | {b['cpu']:.1f} | {b['cpu'] / big[floor]['cpu']:.2f} | "
                f"{li['wall_p50']:.1f} | {b['wall_p50'] / li['wall_p50']:.2f} |"
            )
    if imported:
        lines += [
            "",
            "| Import of 20,000 rows (XLSX) | seconds |",
            "|---|---:|",
            f"| read + map | {imported['upload_s']} |",
            f"| validate every row (preview) | {imported['validate_s']} |",
            f"| import, all-or-nothing | {imported['import_s']} |",
            f"| **total** ({imported['created']:,} cards) | **{imported['total_s']}** |",
        ]
    return "\n".join(lines)


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "_seed":
        return seed_here(sys.argv[2])
    if len(sys.argv) > 1 and sys.argv[1] == "_import":
        return import_here()
    if len(sys.argv) > 3 and sys.argv[1] == "_inprocess":
        return inprocess_here(sys.argv[2], int(sys.argv[3]))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reseed", action="store_true", help="drop and seed the bench databases again")
    parser.add_argument("--requests", type=int, default=400, help="measured requests per endpoint")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--only", choices=[d[0] for d in DATASETS], help="one data set")
    parser.add_argument("--no-import", action="store_true", help="skip the 20,000-row import timing")
    args = parser.parse_args()
    results = {}
    for name, dbname, counts in DATASETS:
        if args.only and name != args.only:
            continue
        ensure_seeded(name, dbname, counts, args.reseed)
        results[name] = run_dataset(name, dbname, args.workers, args.requests)
    inprocess = {}
    for name, dbname, _counts in DATASETS:
        if name in results:
            inprocess[name] = run_inprocess(dbname)
            for label, r in inprocess[name].items():
                print(f"[{name}] in-process {label:34s} wall p50 {r['wall_p50']:6.1f} ms  CPU {r['cpu']:6.1f} ms")
    imported = None
    if not args.no_import and "500k" in results:
        imported = run_import(DATASETS[1][1])
        print(f"[500k] import of {IMPORT_ROWS:,} rows: {imported}")
    if len(results) == 2:
        text = table(results, args.requests, args.workers, imported, inprocess)
        print()
        print(text)
        out = ROOT / "var" / "bench-assets.md"
        out.parent.mkdir(exist_ok=True)
        out.write_text(text + "\n", encoding="utf-8")
        print(f"\n(written to {out})")


if __name__ == "__main__":
    main()
