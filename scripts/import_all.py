"""Import every module of the project (the platform, the domain apps, their migrations and commands):
run in a venv built from requirements.txt alone, it fails on any run-time import that is not pinned."""

import importlib
import os
import pkgutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "logistics.settings")

import django  # noqa: E402

django.setup()

PACKAGES = ["logistics", "assets", "repairs"]
failed = []
count = 0
for name in PACKAGES:
    package = importlib.import_module(name)
    for module in pkgutil.walk_packages(package.__path__, prefix=f"{name}."):
        try:
            importlib.import_module(module.name)
            count += 1
        except Exception as exc:  # noqa: BLE001 — report them all
            failed.append(f"{module.name}: {exc.__class__.__name__}: {exc}")
# Every transport and serializer the settings name, loaded the way a worker loads them.
from kombu import Connection  # noqa: E402

from logistics.celery import app  # noqa: E402

Connection(app.conf.broker_url).transport  # noqa: B018 — importing the transport is the check
print(f"imported {count} modules")
if failed:
    print("\n".join(failed), file=sys.stderr)
    sys.exit(1)
