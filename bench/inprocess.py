"""CPU time of requests measured in one process, beside the floor — the quick loop of speed work.

The gunicorn benchmarks (``bench/bench_*.py``) measure wall-clock latency under 4 concurrent clients;
on a shared 2-core machine their absolute times move with whatever else runs. This tool measures what
a change can actually reduce — the CPU time of the Django process serving one request — with the
Django test client on a seeded bench database, in rounds that alternate the paths, and prints each
path's median CPU ms, its wall ms, its SQL queries and its ratio to the first path (the floor, by
convention ``/bench/floor/``). ``--profile`` adds a cProfile of each path (cumulative, top N).

    .venv/bin/python bench/inprocess.py --settings repairs_settings --db houqin_bench_10k \\
        --user bench-head-1 /bench/floor/ /repairs/tickets/ /api/v1/repairs/tickets/

``{id}`` in a path is replaced by ``--id`` (or the first id ``--id-sql`` selects). ``--post BODY`` sends
every path as a POST with the JSON ``BODY`` instead (200 and 201 accepted): in the body ``{uuid}`` is a
fresh UUID per request (a new client id each time) and ``{id}`` takes the rows ``--id-sql`` selects in
turn, one a request — e.g. a scan, beside the write floor, spread over today's rounds in progress:

    .venv/bin/python bench/inprocess.py --settings safety_settings --db houqin_bench_safety \\
        --user bench-guard-1-0 --id-sql "SELECT id FROM safety_patrolround WHERE status='in_progress'" \\
        --post '{"client_id": "{uuid}", "checkpoint": "…", "round": {id}}' /bench/scan-floor/ /api/v1/safety/scans/

CPU time includes the
client's own work (building the request, reading the response), equal for every path; PostgreSQL's
time is not in it (it is another process), so compare ``wall`` too when a change is about SQL.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", help="the paths to request; the first one is the floor")
    parser.add_argument("--settings", required=True, help="a settings module of bench/ (e.g. repairs_settings)")
    parser.add_argument("--db", required=True, help="the seeded bench database")
    parser.add_argument("--user", help="the username to log in as (none: anonymous)")
    parser.add_argument("--n", type=int, default=40, help="measured requests per path (default 40)")
    parser.add_argument("--rounds", type=int, default=4, help="alternating rounds (default 4)")
    parser.add_argument("--id", help="the value of {id} in the paths")
    parser.add_argument("--id-sql", help="SQL whose first row's first column is {id}")
    parser.add_argument("--language", default="zh-hans", help="Accept-Language (default zh-hans)")
    parser.add_argument("--rotate", action="store_true", help="GET: {id} takes the rows --id-sql selects in turn")
    parser.add_argument("--post", metavar="BODY", help="POST every path with this JSON body ({id}, {uuid})")
    parser.add_argument("--profile", type=int, metavar="N", help="print a cProfile (top N, cumulative) per path")
    parser.add_argument("--only", help="with --profile: only functions whose file name matches this regular expression")
    args = parser.parse_args()

    sys.path[:0] = [str(BENCH), str(ROOT)]
    os.environ["DJANGO_SETTINGS_MODULE"] = args.settings
    os.environ["DATABASE_URL"] = (
        f"{os.environ.get('BENCH_PG', 'postgres://postgres@127.0.0.1:5432').rstrip('/')}/{args.db}"
    )
    os.environ.setdefault("CONN_MAX_AGE", "600")
    os.environ.setdefault("CACHE_URL", os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/9"))  # as the servers
    os.environ.setdefault("DEBUG", "0")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    from django.core.cache import cache

    cache.clear()  # nothing kept by an earlier run (of other code)
    ident, idents = args.id, [args.id]
    if args.id_sql:
        with connection.cursor() as cursor:
            cursor.execute(args.id_sql)
            idents = [str(row[0]) for row in cursor.fetchall()]
            ident = idents[0]
    turn = [0]
    # a GET path keeps its "{id}" when --rotate: each request takes the next row --id-sql selects
    paths = [p if args.rotate and args.post is None else p.replace("{id}", ident or "") for p in args.paths]
    client = Client(HTTP_ACCEPT_LANGUAGE=args.language)
    if args.user:
        client.force_login(get_user_model().objects.get(username=args.user))

    queries = [0]

    def counter(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    def one(path):
        queries[0] = 0
        cpu, wall = time.process_time(), time.perf_counter()
        with connection.execute_wrapper(counter):
            if args.post is None:
                turn[0] += 1
                response = client.get(path.replace("{id}", idents[turn[0] % len(idents)] or ""))
            else:
                turn[0] += 1
                body_id = idents[turn[0] % len(idents)] or ""
                data = args.post.replace("{id}", body_id).replace("{uuid}", str(uuid.uuid4()))
                response = client.post(path, data, content_type="application/json")
            body = response.content
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        if response.status_code not in ((200,) if args.post is None else (200, 201)):
            raise SystemExit(f"{path}: HTTP {response.status_code}\n{body[:2000].decode(errors='replace')}")
        return cpu * 1000, wall * 1000, queries[0], len(body)

    for path in paths:  # warm: caches, prepared statements, imports
        for _ in range(5):
            one(path)
    timings = {path: [] for path in paths}
    per_round = max(args.n // args.rounds, 1)
    for round_ in range(args.rounds):
        for path in paths if round_ % 2 == 0 else reversed(paths):
            timings[path].extend(one(path) for _ in range(per_round))
    floor = statistics.median(t[0] for t in timings[paths[0]])
    print(f"{'path':<60} {'cpu ms':>8} {'wall ms':>8} {'queries':>7} {'bytes':>8} {'× floor':>8}")
    for path in paths:
        rows = timings[path]
        cpu = statistics.median(r[0] for r in rows)
        wall = statistics.median(r[1] for r in rows)
        print(f"{path[:60]:<60} {cpu:8.2f} {wall:8.2f} {rows[-1][2]:7d} {rows[-1][3]:8d} {cpu / floor:8.2f}")
    print(f"load average (1 min): {os.getloadavg()[0]:.2f}")
    if args.profile:
        for path in paths:
            profiler = cProfile.Profile(time.process_time)  # CPU: the database's waits are not ours
            profiler.enable()
            for _ in range(per_round):
                one(path)
            profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
            stats.print_stats(*([args.only] if args.only else []), args.profile)
            print(f"\n===== {path}\n{out.getvalue()}")


if __name__ == "__main__":
    main()
