"""Create the PostgreSQL database named in DATABASE_URL when it does not exist (make test's checks use it)."""

import os
import sys

import dj_database_url

url = os.environ.get("DATABASE_URL", "")
if not url.startswith("postgres"):
    sys.exit(0)
config = dj_database_url.parse(url)
import psycopg2  # noqa: E402
from psycopg2 import sql  # noqa: E402

try:
    connection = psycopg2.connect(
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        connect_timeout=5,
    )
except psycopg2.OperationalError as exc:
    sys.exit(f"PostgreSQL is not reachable at {config['HOST']}:{config['PORT']}: {exc}")
connection.autocommit = True
with connection.cursor() as cursor:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
    if cursor.fetchone() is None:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
        print(f"created database {config['NAME']}")
connection.close()
