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
import json
import os
import statistics
import subprocess
import sys
import time

import harness
from harness import BENCH, CLIENTS, DB_PREFIX, PYTHON, ROOT, Server, psql, run_clients

DATASETS = [
    ("5k", f"{DB_PREFIX}_assets_5k", [5_000]),
    ("500k", f"{DB_PREFIX}_assets", [50_000] + [23_685] * 19),
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
IMPORT_ROWS = 20_000


def django_env(dbname):
    """Django on ``dbname``, Celery tasks run in-process (the import)."""
    return harness.django_env(dbname, CELERY_TASK_ALWAYS_EAGER="1")


def ensure_seeded(name, dbname, counts, reseed):
    """Seed ``dbname`` with ``bench/assets_seed.py`` unless it holds at least ``sum(counts)`` assets
    (the import adds cards)."""
    harness.ensure_seeded(
        name,
        dbname,
        counts,
        reseed,
        script=__file__,
        table="assets_asset",
        noun="assets",
        at_least=True,
        env=django_env(dbname),
    )


def import_here():
    """Time a 20,000-row import into school 2 (or 1): build the XLSX, validate, import. Prints JSON."""
    harness.django_setup()
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
    harness.django_setup()
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


def measure(server, cookie, token, method, path, ctx, requests, paired=False):
    """``requests`` requests of one endpoint (after 20 unmeasured) from 4 client threads. ``paired``:
    every client alternates endpoint and floor, so both are measured under the same load (throughput
    counts both). p50/p95 (ms), req/s, queries and errors of the endpoint, p50/p95 of the floor beside it."""
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
        jobs.append((method, p, body, headers))
    harness.warm(server, jobs[:20])
    jobs = jobs[20:]
    floor_path = ENDPOINTS[0][2]
    if paired:
        # the floor interleaved with the endpoint, so both see the same machine load
        floor = ("GET", floor_path, None, {"Cookie": cookie, "Accept": "*/*"})
        jobs = [j for job in jobs for j in (job, floor)]
    hits, wall = run_clients(server, jobs)
    floors = [h.seconds for h in hits if paired and h.path == floor_path]
    mine = [h for h in hits if not (paired and h.path == floor_path)]
    return {
        "paired_floor_p50": harness.p50_ms(floors) if floors else None,
        "paired_floor_p95": harness.p95_ms(floors) if floors else None,
        **harness.summary(
            [h.seconds for h in mine], [h.queries for h in mine], sum(h.status != 200 for h in mine), wall
        ),
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
    server = Server(dbname, workers, "assets_settings", tries=150)
    try:
        cookie = server.login("bench-head-1")
        results = {}
        for index, (label, method, path) in enumerate(ENDPOINTS):
            results[label] = measure(server, cookie, ctx["token"], method, path, ctx, requests, paired=index > 0)
            r = results[label]
            print(harness.result_line(name, label, r))
            if r["paired_floor_p50"]:
                print(
                    f"[{name}]   … floor beside it: p50 {r['paired_floor_p50']:7.1f} ms  p95 {r['paired_floor_p95']:7.1f} ms"
                )
        return results
    finally:
        server.stop()


def run_inprocess(dbname, requests=100):
    env = {**django_env(dbname), "PYTHONPATH": f"{BENCH}{os.pathsep}{ROOT}"}
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
    """The markdown tables: the 500k figures against the floor measured beside them and against the 5k
    set; the in-process CPU times (when both sets ran); the import's seconds (when it ran)."""
    small, large = all_results["5k"], all_results["500k"]
    rows = []
    for label, _method, _path in ENDPOINTS:
        big, little = large[label], small[label]
        big_floor = (big["paired_floor_p50"] or big["p50"], big["paired_floor_p95"] or big["p95"])
        little_floor = little["paired_floor_p50"] or little["p50"]
        rows.append(
            [
                label,
                f"{big['p50']:.1f}",
                f"{big['p95']:.1f}",
                harness.queries_cell(big["queries"]),
                f"{big['p50'] / big_floor[0]:.2f}",
                f"{big['p95'] / big_floor[1]:.2f}",
                f"{little['p50']:.1f}",
                f"{little['p50'] / little_floor:.2f}",
                f"{big['p50'] / little['p50']:.2f}",
            ]
        )
    headers = [
        "Request",
        "500k: p50 ms",
        "500k: p95 ms",
        "queries",
        "p50 ÷ floor (paired)",
        "p95 ÷ floor (paired)",
        "5k: p50 ms",
        "5k: p50 ÷ floor",
        "500k ÷ 5k (p50)",
    ]
    lines = [
        f"{requests} requests per row, {CLIENTS} concurrent clients, gunicorn {workers} sync workers, DEBUG off, "
        "PostgreSQL on the same machine. 500k = 500,015 assets in 20 schools (50,000 in the measured school); "
        "5k = 5,000 assets.",
        "",
        "Each endpoint is measured interleaved with the floor (every client alternates endpoint, floor), so "
        "the ratio compares the two under the same load; throughput counts both.",
        "",
        *harness.markdown_table(headers, rows),
    ]
    if inprocess and "500k" in inprocess and "5k" in inprocess:
        big, little = inprocess["500k"], inprocess["5k"]
        floor = ENDPOINTS[0][0]
        rows = []
        for label, _method, _path in ENDPOINTS:
            b, li = big[label], little[label]
            rows.append(
                [
                    label,
                    f"{b['wall_p50']:.1f}",
                    f"{b['cpu']:.1f}",
                    f"{b['cpu'] / big[floor]['cpu']:.2f}",
                    f"{li['wall_p50']:.1f}",
                    f"{b['wall_p50'] / li['wall_p50']:.2f}",
                ]
            )
        headers = [
            "Request",
            "500k: wall p50 ms",
            "500k: CPU ms",
            "CPU ÷ floor CPU",
            "5k: wall p50 ms",
            "500k ÷ 5k (wall)",
        ]
        lines += [
            "",
            "One client, in-process (no HTTP, no concurrency; CPU = this process's CPU time per request):",
            "",
            *harness.markdown_table(headers, rows),
        ]
    if imported:
        rows = [
            ["read + map", f"{imported['upload_s']}"],
            ["validate every row (preview)", f"{imported['validate_s']}"],
            ["import, all-or-nothing", f"{imported['import_s']}"],
            [f"**total** ({imported['created']:,} cards)", f"**{imported['total_s']}**"],
        ]
        lines += ["", *harness.markdown_table([f"Import of {IMPORT_ROWS:,} rows (XLSX)", "seconds"], rows)]
    return "\n".join(lines)


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "_seed":
        return harness.seed_here("assets_seed", sys.argv[2])
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
        harness.write_report(text, "bench-assets.md")


if __name__ == "__main__":
    main()
