"""Backup and restore: a backup of the demo data restored into a fresh, empty database has every
table's row count and the files (docs/deployment.md § Backup and restore)."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from logistics.system.backup import table_counts

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.xdist_group("backup"), pytest.mark.django_db(transaction=True)]


def _dsn(name):
    db = connection.settings_dict
    return {
        "dbname": name,
        "user": db["USER"],
        "host": db["HOST"] or None,
        "port": db["PORT"] or None,
        "password": db["PASSWORD"] or None,
    }


def _admin(sql):
    conn = psycopg2.connect(**_dsn("postgres"))
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
    finally:
        conn.close()


@pytest.mark.skipif("postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="PostgreSQL backup")
def test_demo_data_restores_into_a_fresh_database(tmp_path, settings):
    from logistics.reports.services import generate
    from logistics.tenancy.models import School

    call_command("seed_demo", stdout=open(os.devnull, "w"))
    generate(School.objects.order_by("pk").first(), datetime.date(2026, 1, 1))  # a PDF and an XLSX in MEDIA_ROOT
    source_counts = table_counts()
    media = Path(settings.MEDIA_ROOT)
    source_files = sorted(p for p in media.rglob("*") if p.is_file())
    assert sum(source_counts.values()) > 100 and len(source_files) >= 2

    call_command("backup", "--output", str(tmp_path / "backups"), stdout=open(os.devnull, "w"))
    [archive] = list((tmp_path / "backups").glob("houqin-backup-*.tar.gz"))

    fresh = f"{connection.settings_dict['NAME']}_restore"
    _admin(f'DROP DATABASE IF EXISTS "{fresh}"')
    _admin(f'CREATE DATABASE "{fresh}"')
    try:
        db = connection.settings_dict
        url = f"postgres://{db['USER']}{':' + db['PASSWORD'] if db['PASSWORD'] else ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{fresh}"
        restored_media = tmp_path / "restored-media"
        env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(restored_media)}
        result = subprocess.run(
            [sys.executable, "manage.py", "restore", str(archive)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        conn = psycopg2.connect(**_dsn(fresh))
        try:
            with conn.cursor() as cursor:
                for table, count in source_counts.items():
                    cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
                    assert cursor.fetchone()[0] == count, table
        finally:
            conn.close()
        step = max(1, len(source_files) // 10)
        for source in source_files[::step]:
            copy = restored_media / source.relative_to(media)
            assert copy.read_bytes() == source.read_bytes(), source
        # A second restore into the now full database is refused.
        again = subprocess.run(
            [sys.executable, "manage.py", "restore", str(archive)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert again.returncode != 0 and "not empty" in again.stderr
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
