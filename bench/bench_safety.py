#!/usr/bin/env python
"""Safety benchmark: patrol rounds and scans at district scale, gunicorn with DEBUG off, 4 clients.

    .venv/bin/python bench/bench_safety.py
    .venv/bin/python bench/bench_safety.py --reseed --requests 400

1. Seeds two PostgreSQL databases with ``bench/safety_seed.py`` (COPY): ``<prefix>_safety_3m`` (school 1 with
   90 days of rounds, ≈ 8,000 scans) and ``<prefix>_safety`` (20 schools × 3 years: ≈ 263,000 rounds and
   1,970,000 scans; school 1 alone 98,000). ``BENCH_PG`` (default ``postgres://postgres@127.0.0.1:5432``).
2. Before measuring, makes 200 rounds in progress today for guard 1 of school 1 (so every scan is accepted;
   each request scans the first checkpoint of one of them — the round stays in progress).
3. Starts gunicorn per data set with ``bench/safety_settings.py`` (DEBUG off, ``X-Queries``, the floors);
   a third server on the large set runs without change records for scans (``BENCH_SCAN_AUDIT=0``).
4. Measures, alternating the data sets in rounds: the read floor, the rounds list page (logistics head),
   the rounds API; the write floor, the scan endpoint (new client id: 201), the same scan sent again (200),
   and the scan endpoint without change records. Each row's batches follow a batch of its floor, measured
   in the same minutes: the machine is shared, and the column *p95 ÷ floor beside* compares the two at the
   same load (*p95 ÷ floor* is against the floor's own row, minutes earlier). Prints markdown (also
   ``var/bench-safety.md``).

Not run by ``make test``.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import uuid

import harness
from harness import CLIENTS, DB_PREFIX, PYTHON, ROOT, Server, django_env, psql, run_clients, summary

# names of their own: the repairs benchmark uses ``<prefix>`` and ``<prefix>_10k``
DATASETS = [("3m", f"{DB_PREFIX}_safety_3m", [90] + [0] * 19), ("3y", f"{DB_PREFIX}_safety", [1095] * 20)]
READS = [
    ("floor (minimal ORM view, JSON)", "/bench/floor/"),
    ("HTML rounds list, 25 rows", "/safety/rounds/"),
    ("API rounds list (50)", "/api/v1/safety/rounds/"),
]
WRITES = [
    ("write floor (one INSERT, JSON)", "/bench/scan-floor/", "new"),
    ("scan endpoint, new scan (201)", "/api/v1/safety/scans/", "new"),
    ("scan endpoint, sent again (200)", "/api/v1/safety/scans/", "again"),
]


def expected(days):
    sys.path[:0] = [str(ROOT / "bench")]
    from safety_plan import expected_scans

    return expected_scans(days)


def prepare(dbname):
    """Today's 200 rounds in progress for guard 1 of school 1: (round ids, checkpoint code)."""
    env = django_env(dbname, PYTHONPATH=f"{ROOT / 'bench'}{os.pathsep}{ROOT}")
    out = subprocess.run(
        [PYTHON, __file__, "_prepare", dbname], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    data = json.loads(out.strip().splitlines()[-1])
    return data["rounds"], data["code"], data["session"]


def _prepare():
    harness.django_setup()
    import datetime

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from safety.models import PatrolRound, Route, RouteStop

    guard = get_user_model().objects.get(username="bench-guard-1-0")
    route = Route.objects.filter(school__slug="bench-1", name="夜间巡更").get()
    now = timezone.now()
    rows = [
        PatrolRound(
            school_id=route.school_id,
            route=route,
            guard=guard,
            planned_start=now - datetime.timedelta(minutes=10, seconds=k),
            planned_end=now + datetime.timedelta(hours=3),
            grace_until=now + datetime.timedelta(hours=3, minutes=10),
            status="in_progress",
            started_at=now,
            stops_total=RouteStop.objects.filter(route=route).count(),
        )
        for k in range(200)
    ]
    PatrolRound.objects.bulk_create(rows)
    first = RouteStop.objects.filter(route=route).order_by("position").select_related("checkpoint").first()
    # the guard's session, made here (two form logins on one server meet the cached login page's token)
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(guard.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = guard.get_session_auth_hash()
    session.create()
    print(json.dumps({"rounds": [r.pk for r in rows], "code": first.checkpoint.code, "session": session.session_key}))


def guard_cookie(session_key):
    """(Cookie header with the guard's session and a CSRF cookie, the same CSRF secret for the header)."""
    token = uuid.uuid4().hex  # 32 alphanumeric characters: a valid CSRF secret
    return f"sessionid={session_key}; csrftoken={token}", token


def scan_jobs(path, cookie, token, rounds, code, n, mode, sent):
    """``n`` POSTs of scans: ``new`` — a fresh client id each (remembered in ``sent``); ``again`` — ids
    already sent."""
    headers = {"Cookie": cookie, "X-CSRFToken": token, "Content-Type": "application/json", "Accept": "*/*"}
    jobs = []
    for i in range(n):
        if mode == "again" and sent:
            client_id, round_id = sent[i % len(sent)]
        else:
            client_id, round_id = str(uuid.uuid4()), rounds[len(sent) % len(rounds)]
            sent.append((client_id, round_id))
        # as the phone sends it (queue.js): its client id, the code, the round and the phone's own time
        device_time = datetime.datetime.now(datetime.UTC).isoformat()
        body = json.dumps({"client_id": client_id, "checkpoint": code, "round": round_id, "device_time": device_time})
        jobs.append(("POST", path, body.encode(), headers))
    return jobs


def measure(server, jobs):
    hits, wall = run_clients(server, jobs)
    ok = {200, 201}
    return [h.seconds for h in hits], [h.queries for h in hits], sum(h.status not in ok for h in hits), wall


def add(acc, measured):
    """Pool one measurement (latencies, queries, errors, wall) into ``acc``."""
    lat, q, err, wall = measured
    acc[0].extend(lat), acc[1].extend(q)
    acc[2] += err
    acc[3] += wall


def beside(row):
    """p95 ÷ the floor measured in the same rounds, just before each batch of this row ("" for a floor)."""
    return f"{row['p95'] / row['floor_beside']:.2f}" if "floor_beside" in row else "1.00"


def run_all(workers, requests, rounds_n):
    servers, head, guard, prepared, sent = {}, {}, {}, {}, {}
    try:
        for name, dbname, _days in DATASETS:
            prepared[name] = prepare(dbname)
            servers[name] = Server(dbname, workers, "safety_settings")
        big = DATASETS[1][1]
        noaudit = Server.__new__(Server)
        os.environ["BENCH_SCAN_AUDIT"] = "0"
        try:
            noaudit.__init__(big, workers, "safety_settings")
        finally:
            os.environ.pop("BENCH_SCAN_AUDIT")
        servers["3y, no scan change records"] = noaudit
        prepared["3y, no scan change records"] = prepared["3y"]
        for name, server in servers.items():
            head[name] = server.login("bench-head-1")
            guard[name] = guard_cookie(prepared[name][2])
            sent[name] = []
        results = {name: {} for name in servers}
        per_round = max(requests // rounds_n, CLIENTS)
        measured = ["3m", "3y"]
        for label, path in READS:
            for name in measured:
                harness.warm(servers[name], [("GET", path, None, {"Cookie": head[name]})] * 10)
            pooled = {name: [[], [], 0, 0.0] for name in measured}
            floor_beside = {name: [[], [], 0, 0.0] for name in measured}
            floor_path = READS[0][1]
            for r in range(rounds_n):
                for name in measured if r % 2 == 0 else reversed(measured):
                    if path != floor_path:  # the floor in the same minutes, just before (the machine is shared)
                        jobs = [("GET", floor_path, None, {"Cookie": head[name], "Accept": "*/*"})] * per_round
                        add(floor_beside[name], measure(servers[name], jobs))
                    jobs = [("GET", path, None, {"Cookie": head[name], "Accept": "*/*"})] * per_round
                    add(pooled[name], measure(servers[name], jobs))
            for name in measured:
                results[name][label] = summary(*pooled[name])
                if path != floor_path:
                    results[name][label]["floor_beside"] = summary(*floor_beside[name])["p95"]
                print(harness.result_line(name, label, results[name][label]), flush=True)
        writes = [*WRITES, ("scan endpoint, new scan, no change record", "/api/v1/safety/scans/", "new")]
        for label, path, mode in writes:
            names = ["3y, no scan change records"] if "no change record" in label else measured
            for name in names:
                cookie, token = guard[name]
                rounds, code, _session = prepared[name]
                warm_jobs = scan_jobs(path, cookie, token, rounds, code, 10, mode, sent[name])
                measure(servers[name], warm_jobs)
            pooled = {name: [[], [], 0, 0.0] for name in names}
            floor_beside = {name: [[], [], 0, 0.0] for name in names}
            floor_path = WRITES[0][1]
            for r in range(rounds_n):
                for name in names if r % 2 == 0 else list(reversed(names)):
                    cookie, token = guard[name]
                    rounds, code, _session = prepared[name]
                    if path != floor_path:  # the write floor in the same minutes, just before
                        jobs = scan_jobs(floor_path, cookie, token, rounds, code, per_round, "new", [])
                        add(floor_beside[name], measure(servers[name], jobs))
                    jobs = scan_jobs(path, cookie, token, rounds, code, per_round, mode, sent[name])
                    add(pooled[name], measure(servers[name], jobs))
            for name in names:
                results[name][label] = summary(*pooled[name])
                if path != floor_path:
                    results[name][label]["floor_beside"] = summary(*floor_beside[name])["p95"]
                print(harness.result_line(name[:3], label, results[name][label]), flush=True)
        cookie, token = guard["3y"]
        rounds, code, _session = prepared["3y"]
        status, _h, body = servers["3y"].request(
            *scan_jobs("/api/v1/safety/scans/", cookie, token, rounds, code, 1, "new", [])[0][:4]
        )
        return results, len(body), status
    finally:
        for server in servers.values():
            server.stop()


def table(results, requests, workers, size, status):
    small, large = results["3m"], results["3y"]
    rows = []
    floors = {"read": large[READS[0][0]]["p95"], "write": large[WRITES[0][0]]["p95"]}
    for label, _path in READS:
        big, little = large[label], small[label]
        rows.append(
            [
                label,
                f"{big['p50']:.1f}",
                f"{big['p95']:.1f}",
                f"{big['rps']:.0f}",
                harness.queries_cell(big["queries"]),
                f"{big['p95'] / floors['read']:.2f}",
                beside(big),
                f"{little['p95']:.1f}",
                f"{big['p95'] / little['p95']:.2f}",
            ]
        )
    for label, _path, _mode in WRITES:
        big, little = large[label], small[label]
        rows.append(
            [
                label,
                f"{big['p50']:.1f}",
                f"{big['p95']:.1f}",
                f"{big['rps']:.0f}",
                harness.queries_cell(big["queries"]),
                f"{big['p95'] / floors['write']:.2f}",
                beside(big),
                f"{little['p95']:.1f}",
                f"{big['p95'] / little['p95']:.2f}",
            ]
        )
    off = results["3y, no scan change records"]["scan endpoint, new scan, no change record"]
    rows.append(
        [
            "scan endpoint, new scan, no change record (3y)",
            f"{off['p50']:.1f}",
            f"{off['p95']:.1f}",
            f"{off['rps']:.0f}",
            harness.queries_cell(off["queries"]),
            f"{off['p95'] / floors['write']:.2f}",
            beside(off),
            "",
            "",
        ]
    )
    errors = sum(r["errors"] for group in results.values() for r in group.values())
    headers = [
        "Request",
        "3y: p50 ms",
        "3y: p95 ms",
        "3y: req/s",
        "queries",
        "p95 ÷ floor",
        "p95 ÷ floor beside",
        "3m: p95 ms",
        "3y ÷ 3m (p95)",
    ]
    return "\n".join(
        [
            f"{requests} requests per row and data set (in alternating rounds), {CLIENTS} concurrent clients, "
            f"gunicorn {workers} sync workers per server, DEBUG off, PostgreSQL on the same 2-core machine. "
            f"Reads against the read floor, scans against the write floor: *p95 ÷ floor* against the floor's own "
            f"row, *beside* against the floor measured just before each batch of the row (same minutes). "
            f"A new scan's answer: HTTP {status}, "
            f"{size} bytes. Errors: {errors}.",
            "",
            *harness.markdown_table(headers, rows),
        ]
    )


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "_seed":
        return harness.seed_here("safety_seed", sys.argv[2])
    if len(sys.argv) > 2 and sys.argv[1] == "_prepare":
        return _prepare()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seed-only", action="store_true")
    args = parser.parse_args()
    for name, dbname, days in DATASETS:
        ensure(name, dbname, days, args.reseed)
    if args.seed_only:
        return
    load_before = os.getloadavg()[0]
    results, size, status = run_all(args.workers, args.requests, args.rounds)
    load_after = os.getloadavg()[0]
    text = table(results, args.requests, args.workers, size, status)
    text += f"\n\nLoad average (1 min) before / after the run: {load_before:.2f} / {load_after:.2f}."
    harness.write_report(text, "bench-safety.md")


def ensure(name, dbname, days, reseed):
    """Seed ``dbname`` unless it already holds at least the scans the plan makes (the measured scans add)."""
    code, out = psql(dbname, "SELECT count(*) FROM safety_patrolscan")
    want = expected(days)
    if code == 0 and out.isdigit() and int(out) >= want and not reseed:
        print(f"[{name}] {dbname}: {int(out):,} scans already seeded; migrating to this checkout")
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "-v", "0", "--skip-checks"], cwd=ROOT, env=django_env(dbname), check=True
        )
        return
    harness.ensure_seeded(name, dbname, days, True, script=__file__, table="safety_patrolscan", noun="scans")


if __name__ == "__main__":
    main()
