from io import StringIO
from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def test_roles_doc_is_current():
    out = StringIO()
    call_command("roles_table", stdout=out)
    assert (ROOT / "docs/roles.md").read_text(encoding="utf-8") == out.getvalue(), (
        "docs/roles.md is stale: run python manage.py roles_table --output docs/roles.md"
    )


def test_readme_names_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
