"""A bounded load test: CLIENTS concurrent clients of mixed traffic for DURATION seconds against
gunicorn + a Celery worker on PostgreSQL and Redis, with the demo data (docs/benchmarks.md § Load).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/houqin_load CELERY_BROKER_URL=redis://127.0.0.1:6379/12 \\
        .venv/bin/python bench/load.py --clients 8 --duration 600

Seeds the demo data when the database is empty, starts gunicorn (2 workers) on --port and a worker, and
runs the clients: teachers file tickets (1 request in 8) and read their lists; heads read the ticket
and asset lists; everybody reads /api/v1/me/, /healthz and the login page. Prints requests, errors,
p50/p95 per kind, and the web processes' memory (RSS) sampled every 15 s. Standard library only.
"""

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
USERS = ["teacher.1", "teacher.2", "logistics_head.1", "logistics_head.2", "repair_worker.1", "principal.1"]


def rss_kb(root_pid):
    """Resident memory of ``root_pid`` and its children (KB)."""
    total = 0
    pids = [root_pid]
    try:
        children = subprocess.run(["pgrep", "-P", str(root_pid)], capture_output=True, text=True).stdout.split()
        pids += [int(p) for p in children]
    except OSError:
        pass
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


class Client(threading.Thread):
    def __init__(self, port, username, stop_at, results, lock, room_id):
        super().__init__(daemon=True)
        self.port, self.username, self.stop_at = port, username, stop_at
        self.results, self.lock, self.room_id = results, lock, room_id
        self.rng = random.Random(username)

    def request(self, method, path, body=None, kind=None):
        headers = {"Connection": "close"}
        if getattr(self, "token", None):
            headers["Authorization"] = f"Token {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        started = time.monotonic()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            status = response.status
            conn.close()
        except OSError as exc:
            status, payload = 0, str(exc).encode()
        elapsed = time.monotonic() - started
        with self.lock:
            self.results.append((kind or path, status, elapsed))
        return status, payload

    def run(self):
        status, payload = self.request(
            "POST", "/api/v1/auth/token/", {"username": self.username, "password": "demo1234"}, kind="token"
        )
        if status != 200:
            return
        self.token = json.loads(payload)["token"]
        teacher = self.username.startswith("teacher")
        while time.monotonic() < self.stop_at:
            roll = self.rng.random()
            if teacher and roll < 0.125:
                self.request(
                    "POST",
                    "/api/v1/repairs/tickets/",
                    {"room": self.room_id[self.username], "trade": "plumbing", "description": "压力测试：水龙头漏水"},
                    kind="ticket create",
                )
            elif roll < 0.45:
                self.request("GET", "/api/v1/repairs/tickets/?page_size=20", kind="ticket list")
            elif roll < 0.65 and not teacher:
                self.request("GET", "/api/v1/assets/assets/?page_size=20", kind="asset list")
            elif roll < 0.8:
                self.request("GET", "/api/v1/me/", kind="me")
            elif roll < 0.9:
                self.request("GET", "/healthz", kind="healthz")
            else:
                self.request("GET", "/accounts/login/", kind="login page")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=int, default=600)
    parser.add_argument("--port", type=int, default=8731)
    args = parser.parse_args()
    env = {**os.environ, "DEBUG": "0", "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "logistics.settings"}
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    env.setdefault("EMAIL_URL", "locmem://")
    py = sys.executable
    subprocess.run([py, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([py, "manage.py", "seed_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    rooms = subprocess.run(
        [
            py,
            "-c",
            "import django, json; django.setup();"
            "from logistics.tenancy.models import Room, Membership;"
            "print(json.dumps({m.user.username: Room.objects.filter(school=m.school).order_by('pk').first().pk "
            "for m in Membership.objects.filter(user__username__startswith='teacher.').select_related('user')}))",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    room_id = json.loads(rooms.stdout.strip().splitlines()[-1])
    web = subprocess.Popen(
        [
            py,
            "-m",
            "gunicorn",
            "logistics.wsgi",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            "2",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    worker = subprocess.Popen(
        [py, "-m", "celery", "-A", "logistics", "worker", "--concurrency=1", "-l", "warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(120):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.5)
        results, lock = [], threading.Lock()
        stop_at = time.monotonic() + args.duration
        clients = [
            Client(args.port, USERS[i % len(USERS)], stop_at, results, lock, room_id) for i in range(args.clients)
        ]
        memory = [(0, rss_kb(web.pid))]
        started = time.monotonic()
        for client in clients:
            client.start()
        while any(c.is_alive() for c in clients):
            time.sleep(15)
            memory.append((int(time.monotonic() - started), rss_kb(web.pid)))
        print(f"{args.clients} clients, {args.duration} s, {len(results)} requests, "
              f"{len(results) / args.duration:.1f} req/s")  # fmt: skip
        errors = [r for r in results if r[1] == 0 or r[1] >= 500 or (r[1] >= 400 and r[0] != "token")]
        print(f"errors: {len(errors)}", sorted({(k, s) for k, s, _ in errors})[:10])
        kinds = sorted({k for k, _s, _t in results})
        print("| kind | requests | p50 ms | p95 ms |")
        print("| --- | ---: | ---: | ---: |")
        for kind in kinds:
            times = sorted(t for k, _s, t in results if k == kind)
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            print(f"| {kind} | {len(times)} | {statistics.median(times) * 1000:.0f} | {p95 * 1000:.0f} |")
        print("web RSS (MB) at s:", ", ".join(f"{s}:{kb // 1024}" for s, kb in memory))
        return 1 if errors else 0
    finally:
        web.terminate()
        worker.terminate()
        web.wait(timeout=30)
        worker.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
