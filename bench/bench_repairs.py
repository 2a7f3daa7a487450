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
import os
import sys

import harness
from harness import CLIENTS, DB_PREFIX, Server, psql, run_clients, summary

DATASETS = [
    ("10k", f"{DB_PREFIX}_10k", [10_000] + [0] * 19),
    ("1M", DB_PREFIX, [100_000] + [47_369] * 19),
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


def ensure_seeded(name, dbname, counts, reseed):
    """Seed ``dbname`` with ``bench/repairs_seed.py`` unless it holds exactly ``sum(counts)`` tickets."""
    harness.ensure_seeded(name, dbname, counts, reseed, script=__file__, table="repairs_ticket", noun="tickets")


def warm(server, cookie, path, ids):
    """20 unmeasured GETs of ``path``; each must answer 200."""
    harness.warm(server, [("GET", path.format(id=ids[i % len(ids)]), None, {"Cookie": cookie}) for i in range(20)])


def burst(server, cookie, path, ids, requests, offset=0):
    """``requests`` GETs of ``path`` from 4 client threads: (latencies in s, queries, errors, wall s)."""
    headers = {"Cookie": cookie, "Accept": "*/*"}
    jobs = [("GET", path.format(id=ids[(offset + i) % len(ids)]), None, headers) for i in range(requests)]
    hits, wall = run_clients(server, jobs)
    return [h.seconds for h in hits], [h.queries for h in hits], sum(h.status != 200 for h in hits), wall


def detail_ids(dbname):
    _code, ids = psql(
        dbname,
        "SELECT string_agg(id::text, ',') FROM (SELECT t.id FROM repairs_ticket t JOIN tenancy_school s ON s.id = t.school_id "
        "WHERE s.slug = 'bench-1' ORDER BY md5(t.id::text) LIMIT 200) x",
    )
    return [int(i) for i in ids.split(",")]


def add(acc, measured):
    lat, q, err, wall = measured
    acc[0].extend(lat)
    acc[1].extend(q)
    acc[2] += err
    acc[3] += wall


def run_all(datasets, workers, requests, rounds):
    """Both data sets' servers run side by side; every endpoint is measured in ``rounds`` rounds that
    alternate the data sets, so that a busy moment of the machine falls on both alike."""
    servers, cookies, ids = {}, {}, {}
    try:
        for name, dbname, _counts in datasets:
            servers[name] = Server(dbname, workers, "repairs_settings")
            cookies[name] = servers[name].login("bench-head-1")
            ids[name] = detail_ids(dbname)
        pooled = {name: {label: [[], [], 0, 0.0] for label, _p in ENDPOINTS} for name in servers}
        per_round = max(requests // rounds, CLIENTS)
        floor_path = ENDPOINTS[0][1]
        for label, path in ENDPOINTS:
            beside = {name: [[], [], 0, 0.0] for name in servers}
            for name in servers:
                warm(servers[name], cookies[name], path, ids[name])
            for round_ in range(rounds):
                order = list(servers) if round_ % 2 == 0 else list(reversed(list(servers)))
                for name in order:
                    if path != floor_path:  # the floor in the same minutes, just before (the machine is shared)
                        add(beside[name], burst(servers[name], cookies[name], floor_path, ids[name], per_round))
                    add(
                        pooled[name][label],
                        burst(servers[name], cookies[name], path, ids[name], per_round, round_ * per_round),
                    )
            for name in servers:
                r = summary(*pooled[name][label])
                if path != floor_path:
                    r["floor_beside"] = summary(*beside[name])["p95"]
                pooled[name][label] = r
                print(harness.result_line(f"{name:>3}", label, r), flush=True)
        return pooled
    finally:
        for server in servers.values():
            server.stop()


def table(all_results, requests, workers):
    """The markdown table: the 1M figures, each p95 against the floor's and against the 10k set's."""
    small, large = all_results["10k"], all_results["1M"]
    floor_label = ENDPOINTS[0][0]
    rows = []
    for label, _path in ENDPOINTS:
        big, little = large[label], small[label]
        rows.append(
            [
                label,
                f"{big['p50']:.1f}",
                f"{big['p95']:.1f}",
                f"{big['rps']:.0f}",
                harness.queries_cell(big["queries"]),
                f"{big['p95'] / large[floor_label]['p95']:.2f}",
                f"{big['p95'] / big.get('floor_beside', large[floor_label]['p95']):.2f}",
                f"{little['p95']:.1f}",
                f"{big['p95'] / little['p95']:.2f}",
            ]
        )
    headers = [
        "Request",
        "1M: p50 ms",
        "1M: p95 ms",
        "1M: req/s",
        "queries",
        "p95 ÷ floor",
        "p95 ÷ floor beside",
        "10k: p95 ms",
        "1M ÷ 10k (p95)",
    ]
    lines = [
        f"{requests} requests per row and data set (in alternating rounds), {CLIENTS} concurrent clients, "
        f"gunicorn {workers} sync workers per data set, DEBUG off, PostgreSQL on the same 2-core machine. "
        "*p95 ÷ floor* against the floor's own row, *beside* against the floor measured just before each batch "
        "of the row (same minutes).",
        "",
        *harness.markdown_table(headers, rows),
    ]
    return "\n".join(lines)


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "_seed":
        return harness.seed_here("repairs_seed", sys.argv[2])
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
        harness.write_report(text, "bench-repairs.md")


if __name__ == "__main__":
    main()
