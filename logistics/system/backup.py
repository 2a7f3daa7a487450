"""Backup and restore (备份与恢复): the database, the uploaded files and the generated reports in one
dated archive, and its restore into an empty database (docs/deployment.md § Backup and restore).

Archive ``houqin-backup-YYYYMMDD-HHMMSS.tar.gz``:
  manifest.json      when, which engine, the row count of every table, the number of files
  database.dump      PostgreSQL: ``pg_dump -Fc`` (restored with ``pg_restore``)
  database.sqlite3   SQLite: a consistent copy (sqlite3's backup API)
  media/...          MEDIA_ROOT: uploads (photos, attachments, import files) and reports (PDF, XLSX)
"""

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection


class BackupError(Exception):
    pass


def _pg_env(db):
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db):
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return args


def table_counts():
    """{table: rows} of every table of the database (the manifest, and the check after a restore)."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 — introspected names
            counts[table] = cursor.fetchone()[0]
    return counts


def backup(output_dir, now=None):
    """Write one archive into ``output_dir``; returns its path."""
    now = now or datetime.datetime.now()
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    db = settings.DATABASES["default"]
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        if connection.vendor == "postgresql":
            dump = work / "database.dump"
            result = subprocess.run(
                ["pg_dump", "-Fc", "--no-owner", "--no-privileges", "-f", str(dump), *_pg_args(db), str(db["NAME"])],
                env=_pg_env(db),
                capture_output=True,
                text=True,
            )
            if result.returncode:
                raise BackupError(result.stderr.strip())
        elif connection.vendor == "sqlite":
            source = sqlite3.connect(str(db["NAME"]))
            target = sqlite3.connect(str(work / "database.sqlite3"))
            with target:
                source.backup(target)
            source.close()
            target.close()
        else:
            raise BackupError(f"unsupported database {connection.vendor}")
        files = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
        manifest = {
            "created": now.isoformat(timespec="seconds"),
            "engine": connection.vendor,
            "tables": table_counts(),
            "files": len(files),
        }
        (work / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        path = output_dir / f"houqin-backup-{now:%Y%m%d-%H%M%S}.tar.gz"
        partial = path.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work / "manifest.json", "manifest.json")
            for name in ("database.dump", "database.sqlite3"):
                if (work / name).exists():
                    archive.add(work / name, name)
            for file in files:
                archive.add(file, f"media/{file.relative_to(media).as_posix()}")
        partial.rename(path)  # a half-written archive never looks like a backup
    return path


def is_empty():
    """An empty database: no tables at all, or tables without a single row (a fresh ``migrate``)."""
    counts = table_counts()
    return not counts or not any(
        v for k, v in counts.items() if k not in ("django_migrations", "django_content_type", "auth_permission")
    )


def restore(archive_path, force_media=False):
    """Restore ``archive_path`` into the (empty) configured database and MEDIA_ROOT. Returns
    (manifest, {table: (expected, restored)} of every table whose count differs)."""
    db = settings.DATABASES["default"]
    media = Path(settings.MEDIA_ROOT)
    if not is_empty():
        raise BackupError("the database is not empty; restore only into an empty database")
    if media.exists() and any(media.iterdir()) and not force_media:
        raise BackupError(f"{media} is not empty")
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive_path, "r:gz") as archive:
        work = Path(work)
        archive.extractall(work, filter="data")
        manifest = json.loads((work / "manifest.json").read_text())
        if manifest["engine"] != connection.vendor:
            raise BackupError(f"the backup is of {manifest['engine']}, this database is {connection.vendor}")
        if connection.vendor == "postgresql":
            connection.close()
            # Objects a fresh `migrate` created are dropped first (--clean --if-exists), then restored.
            result = subprocess.run(
                [
                    "pg_restore", "--no-owner", "--no-privileges", "--clean", "--if-exists", "--single-transaction",
                    "-d", str(db["NAME"]), *_pg_args(db), str(work / "database.dump"),
                ],
                env=_pg_env(db),
                capture_output=True,
                text=True,
            )  # fmt: skip
            if result.returncode:
                raise BackupError(result.stderr.strip())
        else:
            connection.close()
            shutil.copyfile(work / "database.sqlite3", db["NAME"])
        if (work / "media").exists():
            media.mkdir(parents=True, exist_ok=True)
            shutil.copytree(work / "media", media, dirs_exist_ok=True)
    restored = table_counts()
    differences = {
        table: (count, restored.get(table))
        for table, count in manifest["tables"].items()
        if restored.get(table) != count
    }
    return manifest, differences
