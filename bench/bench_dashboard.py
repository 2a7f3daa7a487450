#!/usr/bin/env python
"""Dashboard benchmark: the principal's dashboard and the district comparison at 200 schools, gunicorn
with DEBUG off, 4 concurrent clients, beside the floor (a minimal logged-in ORM view) in the same run.

    .venv/bin/python bench/bench_dashboard.py                 # seed (if needed) and measure
    .venv/bin/python bench/bench_dashboard.py --reseed        # drop and seed again
    .venv/bin/python bench/bench_dashboard.py --requests 200 --schools 200

1. Seeds ``$BENCH_DB_PREFIX_dashboard`` (default ``houqin_bench_dashboard``) with ``bench/dashboard_seed.py``:
   200 schools, six months of repairs, meals, dishes and samples, morning checks, patrol rounds, hazards.
2. Starts gunicorn on a free 127.0.0.1 port with ``bench/dashboard_settings.py`` (the production cache).
3. Measures p50/p95, throughput and queries per request: the floor; the principal's dashboard with its
   figures kept and computed afresh (``?fresh=1``); the district page for the month and the term, kept and
   fresh; the XLSX export. Then the district page's queries at 20 and at 200 schools (flat).
4. Prints a markdown table (also ``var/bench-dashboard.md``). Not run by ``make test``.
"""

import argparse
import os
import sys

import harness
from harness import CLIENTS, DB_PREFIX, Server, run_clients

DBNAME = f"{DB_PREFIX}_dashboard"
ENDPOINTS = [
    ("floor (minimal ORM view, JSON)", "principal", "/bench/floor/"),
    ("principal's dashboard, figures kept", "principal", "/"),
    ("principal's dashboard, computed afresh", "principal", "/?fresh=1"),
    ("district page, last month, kept", "officer", "/district/"),
    ("district page, last month, afresh", "officer", "/district/?fresh=1"),
    ("district page, this term, afresh", "officer", "/district/?kind=term&fresh=1"),
    ("district XLSX, this term", "officer", "/district/?kind=term&export=xlsx"),
]


def ensure_seeded(dbname, schools, reseed):
    harness.ensure_seeded(
        "dashboard",
        dbname,
        [schools],
        reseed,
        script=__file__,
        table="tenancy_school",
        noun="schools",
    )


def login(server, username, tries=8):
    """The form login, tried again on a 403: a gunicorn worker that already served the login page to
    another user may answer a second login with a CSRF failure (seen with the in-process cache)."""
    for attempt in range(tries):
        try:
            return server.login(username)
        except RuntimeError:
            if attempt == tries - 1:
                raise
    return None


def measure(dbname, requests, workers):
    server = Server(dbname, workers, "dashboard_settings")
    try:
        cookies = {"principal": login(server, "bench-principal-B001"), "officer": login(server, "bench-officer")}
        results = {}
        for label, who, path in ENDPOINTS:
            jobs = [("GET", path, None, {"Cookie": cookies[who]})] * requests
            harness.warm(server, jobs[:CLIENTS])
            hits, wall = run_clients(server, jobs)
            errors = sum(1 for h in hits if h.status != 200)
            r = harness.summary([h.seconds for h in hits], [h.queries for h in hits], errors, wall)
            results[label] = r
            print(harness.result_line("200", label, r), flush=True)
        return results
    finally:
        server.stop()


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "_seed":
        return harness.seed_here("dashboard_seed", sys.argv[2])
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--schools", type=int, default=200)
    parser.add_argument("--requests", type=int, default=120, help="measured requests per row")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--db", default=DBNAME, help=f"the bench database (default {DBNAME})")
    args = parser.parse_args()
    ensure_seeded(args.db, args.schools, args.reseed)
    load_before = os.getloadavg()[0]
    results = measure(args.db, args.requests, args.workers)
    load_after = os.getloadavg()[0]
    floor = results[ENDPOINTS[0][0]]["p95"]
    rows = [
        [
            label,
            f"{r['p50']:.1f}",
            f"{r['p95']:.1f}",
            f"{r['rps']:.1f}",
            harness.queries_cell(r["queries"]),
            f"{r['p95'] / floor:.2f}",
        ]
        for label, r in results.items()
    ]
    text = "\n".join(
        [
            f"{args.schools} schools; {args.requests} requests per row, {CLIENTS} concurrent clients, gunicorn "
            f"{args.workers} sync workers, DEBUG off, PostgreSQL on the same 2-core machine.",
            "",
            *harness.markdown_table(["Request", "p50 ms", "p95 ms", "req/s", "queries", "p95 ÷ floor"], rows),
            "",
            f"Load average (1 min) before / after the run: {load_before:.2f} / {load_after:.2f}.",
        ]
    )
    print(text)
    harness.write_report(text, "bench-dashboard.md")


if __name__ == "__main__":
    main()
