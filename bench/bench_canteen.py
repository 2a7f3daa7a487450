#!/usr/bin/env python
"""Canteen benchmark: 20 schools × 3 school years of food samples and deliveries, gunicorn with DEBUG off,
4 concurrent clients (issue 9 § Speed).

    .venv/bin/python bench/bench_canteen.py            # seed (if needed) and measure 20k and 650k
    .venv/bin/python bench/bench_canteen.py --reseed   # drop and seed the bench databases again

1. Seeds two PostgreSQL databases with ``bench/canteen_seed.py`` (COPY): ``<prefix>_canteen_20k``
   (19,950 samples, all in school 1) and ``<prefix>_canteen`` (651,510 samples: 34,200 in school 1, the
   rest over 19 more schools), with their meals, dishes and a delivery of 6 lines per school day.
2. Starts gunicorn with ``bench/canteen_settings.py`` (production settings, DEBUG off, ``X-Queries``,
   the floor at ``/bench/floor/``).
3. Logs in as the canteen manager of school 1 (keeping a CSRF cookie, as a browser does) and measures the floor, the samples list page, the API
   list (first page, filtered, deep page), the API detail and the public menu page (without the session
   cookie, as a parent reads it).
4. Prints markdown tables (also written to ``var/bench-canteen.md``).

Not run by ``make test``.
"""

import argparse
import os
import sys

import harness
from harness import CLIENTS, DB_PREFIX, Server, psql, run_clients, summary

SMALL, LARGE = "20k", "650k"
DATASETS = [
    (SMALL, f"{DB_PREFIX}_canteen_20k", [57 * 350] + [0] * 19),
    (LARGE, f"{DB_PREFIX}_canteen", [57 * 600] + [57 * 570] * 19),
]
ENDPOINTS = [
    ("floor (minimal ORM view, JSON)", "/bench/floor/"),
    ("HTML samples list, 25 rows", "/canteen/samples/"),
    ("HTML sample page", "/canteen/samples/{id}/"),
    ("API samples, first page (50)", "/api/v1/canteen/samples/"),
    ("API samples, filtered", "/api/v1/canteen/samples/?meal=lunch&status=kept"),
    ("API samples, deep page (page 200)", "/api/v1/canteen/samples/?page=200"),
    ("API sample detail", "/api/v1/canteen/samples/{id}/"),
    ("public menu page", "/p/bench-1/canteen/menu/"),
]


def ensure_seeded(name, dbname, counts, reseed):
    """Seed ``dbname`` with ``bench/canteen_seed.py`` unless it holds exactly ``sum(counts)`` samples."""
    harness.ensure_seeded(name, dbname, counts, reseed, script=__file__, table="canteen_foodsample", noun="samples")


def warm(server, cookie, path, ids):
    """20 unmeasured GETs of ``path``; each must answer 200."""
    headers = {} if path.startswith("/p/") else {"Cookie": cookie}
    harness.warm(server, [("GET", path.format(id=ids[i % len(ids)]), None, headers) for i in range(20)])


def burst(server, cookie, path, ids, requests, offset=0):
    """``requests`` GETs of ``path`` from 4 client threads: (latencies in s, queries, errors, wall s)."""
    # a public page is read by parents without logging in: no session cookie
    headers = {"Accept": "*/*"} if path.startswith("/p/") else {"Cookie": cookie, "Accept": "*/*"}
    jobs = [("GET", path.format(id=ids[(offset + i) % len(ids)]), None, headers) for i in range(requests)]
    hits, wall = run_clients(server, jobs)
    return [h.seconds for h in hits], [h.queries for h in hits], sum(h.status != 200 for h in hits), wall


def detail_ids(dbname):
    _code, ids = psql(
        dbname,
        "SELECT string_agg(id::text, ',') FROM (SELECT t.id FROM canteen_foodsample t JOIN tenancy_school s ON s.id = t.school_id "
        "WHERE s.slug = 'bench-1' ORDER BY md5(t.id::text) LIMIT 200) x",
    )
    return [int(i) for i in ids.split(",")]


def run_all(datasets, workers, requests, rounds):
    """Both data sets' servers run side by side; every endpoint is measured in ``rounds`` rounds that
    alternate the data sets, so that a busy moment of the machine falls on both alike."""
    servers, cookies, ids = {}, {}, {}
    try:
        for name, dbname, _counts in datasets:
            servers[name] = Server(dbname, workers, "canteen_settings")
            # a browser keeps the CSRF cookie its first page set: without it every page has a new CSRF
            # secret, and the layout's cached header and menu (keyed by it) are rendered afresh each time
            cookies[name] = servers[name].login("bench-canteen-1")  # the session and the CSRF cookie
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
                print(harness.result_line(f"{name:>3}", label, r), flush=True)
        return pooled
    finally:
        for server in servers.values():
            server.stop()


def table(all_results, requests, workers):
    """The markdown table: the 650k figures, each p95 against the floor's and against the 20k set's."""
    small, large = all_results[SMALL], all_results[LARGE]
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
                f"{little['p95']:.1f}",
                f"{big['p95'] / little['p95']:.2f}",
            ]
        )
    headers = [
        "Request",
        "650k: p50 ms",
        "650k: p95 ms",
        "650k: req/s",
        "queries",
        "p95 ÷ floor",
        "20k: p95 ms",
        "650k ÷ 20k (p95)",
    ]
    lines = [
        f"{requests} requests per row and data set (in alternating rounds), {CLIENTS} concurrent clients, "
        f"gunicorn {workers} sync workers per data set, DEBUG off, PostgreSQL on the same 2-core machine.",
        "",
        *harness.markdown_table(headers, rows),
    ]
    return "\n".join(lines)


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "_seed":
        return harness.seed_here("canteen_seed", sys.argv[2])
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
        harness.write_report(text, "bench-canteen.md")


if __name__ == "__main__":
    main()
