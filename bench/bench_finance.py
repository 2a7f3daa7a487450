#!/usr/bin/env python
"""Finance benchmark: a district of 20 schools × 2,000 students × 10 fee items × 6 terms (2.4 M charges,
2.16 M consents, ≈ 2 M payments), gunicorn with DEBUG off, 4 concurrent clients.

    .venv/bin/python bench/bench_finance.py            # seed (if needed), measure the pages, time a settlement
    .venv/bin/python bench/bench_finance.py --reseed   # drop and seed the bench database again
    BENCH_FINANCE_DB=logistics_financeB_bench .venv/bin/python bench/bench_finance.py

1. Seeds the PostgreSQL database ``BENCH_FINANCE_DB`` (default ``<BENCH_DB_PREFIX>_finance``) with
   ``bench/finance_seed.py`` (COPY).
2. Starts gunicorn on a free 127.0.0.1 port with ``bench/finance_settings.py`` (production settings,
   DEBUG off, an ``X-Queries`` header and the floor view at ``/bench/floor/``).
3. Measures p50/p95 latency, throughput and queries per request of: the floor (the first 50 charges as
   JSON), a student's statement (the parent's charge list of their child: 60 charges over 6 terms), the
   parent's settlement statements, the class consent list (the class teacher: 50 students × 9 voluntary
   items × 6 terms), the API charge list (finance officer, the school's 120,000 charges) and the public
   board (60 items, no login).
4. Times a term settlement of 2,000 students (compute, then the principal's approval with its refunds
   and waivers), in a transaction rolled back afterwards.
5. Prints markdown tables (also written to ``var/bench-finance.md``).

Not run by ``make test``.
"""

import argparse
import os
import subprocess
import sys
import time

import harness
from harness import CLIENTS, DB_PREFIX, PYTHON, ROOT, Server, run_clients, summary

DBNAME = os.environ.get("BENCH_FINANCE_DB", f"{DB_PREFIX}_finance")
SCHOOLS = 20
ENDPOINTS = [
    # (label, path, user, target ÷ floor)
    ("floor (minimal ORM view, JSON)", "/bench/floor/", "finance", None),
    ("a student's statement (parent: charges)", "/finance/charges/", "parent", 1.5),
    ("parent: settlement statements", "/finance/settlement-statements/", "parent", None),
    ("class consent list (class teacher)", "/finance/consents/", "teacher", 1.5),
    ("API charge list (finance officer)", "/api/v1/finance/charges/", "finance", 1.5),
    ("public board (no login)", "/p/bench-1/fees/", None, 2.0),
]
USERS = {"finance": "bench-finance-1", "parent": "bench-parent-1", "teacher": "bench-teacher-1-1"}


def burst(server, cookie, path, requests):
    headers = {"Accept": "*/*", **({"Cookie": cookie} if cookie else {})}
    jobs = [("GET", path, None, headers) for _ in range(requests)]
    hits, wall = run_clients(server, jobs)
    return [h.seconds for h in hits], [h.queries for h in hits], sum(h.status != 200 for h in hits), wall


def measure(workers, requests, rounds):
    server = Server(DBNAME, workers, "finance_settings")
    try:
        cookies = {key: server.login(name) for key, name in USERS.items()}
        results = {}
        per_round = max(requests // rounds, CLIENTS)
        for label, path, user, _target in ENDPOINTS:
            cookie = cookies.get(user)
            harness.warm(server, [("GET", path, None, {"Cookie": cookie} if cookie else {}) for _ in range(10)])
            pooled = [[], [], 0, 0.0]
            for _round in range(rounds):
                lat, q, err, wall = burst(server, cookie, path, per_round)
                pooled[0].extend(lat)
                pooled[1].extend(q)
                pooled[2] += err
                pooled[3] += wall
            results[label] = summary(*pooled)
            print(harness.result_line("fin", label, results[label]), flush=True)
        return results
    finally:
        server.stop()


def settle_here():
    """The ``_settle`` subcommand: time compute and approve of a 2,000-student settlement, then roll back."""
    harness.django_setup()
    from decimal import Decimal

    from django.db import transaction

    from finance.models import FeeItem, Settlement
    from logistics.workflow import guard

    item = FeeItem.objects.filter(school__slug="bench-1", name="作业本费").order_by("-period_start").first()
    officer = item.school.memberships.get(role="finance_officer").user
    principal = item.school.memberships.get(role="principal").user

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            settlement = Settlement.objects.create(
                school=item.school,
                fee_item=item,
                actual_total=Decimal("30.00") * item.charges.count(),
                spending_note="基准测试",
                created_by=officer,
            )
            started = time.perf_counter()
            guard.run(settlement, "compute", officer)
            compute = time.perf_counter() - started
            started = time.perf_counter()
            guard.run(settlement, "approve", principal)
            approve = time.perf_counter() - started
            lines = settlement.lines.count()
            print(f"SETTLE {lines} {compute:.2f} {approve:.2f}", flush=True)
            raise Rollback
    except Rollback:
        pass


def time_settlement():
    env = harness.django_env(DBNAME)
    out = subprocess.run(
        [PYTHON, __file__, "_settle"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("SETTLE"))
    _tag, lines, compute, approve = line.split()
    return int(lines), float(compute), float(approve)


def report(results, settlement, requests, workers, load):
    floor = results[ENDPOINTS[0][0]]["p95"]
    rows = []
    for label, _path, _user, target in ENDPOINTS:
        r = results[label]
        ratio = r["p95"] / floor
        met = "—" if target is None else ("yes" if ratio <= target else "no")
        rows.append(
            [
                label,
                f"{r['p50']:.1f}",
                f"{r['p95']:.1f}",
                f"{r['rps']:.0f}",
                harness.queries_cell(r["queries"]),
                f"{ratio:.2f}",
                "—" if target is None else f"≤ {target}×",
                met,
            ]
        )
    headers = ["Request", "p50 ms", "p95 ms", "req/s", "queries", "p95 ÷ floor", "target", "met?"]
    lines, compute, approve = settlement
    text = "\n".join(
        [
            f"{requests} requests per row, {CLIENTS} concurrent clients, gunicorn {workers} sync workers, DEBUG off, "
            f"PostgreSQL on the same 2-core machine; load average (1 min) before / after: {load[0]:.2f} / {load[1]:.2f}.",
            "",
            *harness.markdown_table(headers, rows),
            "",
            f"Term settlement of {lines:,} students: compute {compute:.2f} s, approval (waivers, refunds, "
            f"each with its change record) {approve:.2f} s — target < 10 s: "
            f"{'yes' if compute + approve < 10 else 'no'} ({compute + approve:.2f} s together).",
        ]
    )
    harness.write_report(text, "bench-finance.md")


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "_seed":
        return harness.seed_here("finance_seed", sys.argv[2])
    if len(sys.argv) > 1 and sys.argv[1] == "_settle":
        return settle_here()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reseed", action="store_true", help="drop and seed the bench database again")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per endpoint")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--rounds", type=int, default=2, help="rounds per endpoint")
    args = parser.parse_args()
    harness.ensure_seeded(
        "fin", DBNAME, [SCHOOLS], args.reseed, script=__file__, table="tenancy_school", noun="schools"
    )
    load_before = os.getloadavg()[0]
    results = measure(args.workers, args.requests, args.rounds)
    settlement = time_settlement()
    load_after = os.getloadavg()[0]
    report(results, settlement, args.requests, args.workers, (load_before, load_after))


if __name__ == "__main__":
    main()
