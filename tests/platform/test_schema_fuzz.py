"""The OpenAPI schema tells the truth: schemathesis generates requests for every operation of the
schema, as the logistics head and as a teacher of a demo school, and every answer must be free of
server errors and match the documented response (status, content type and body).

Bounded for CI: ``FUZZ_EXAMPLES`` examples per operation and persona (default 6), no deadline;
``FUZZ_EXAMPLES=50 pytest tests/platform/test_schema_fuzz.py`` for a longer run."""

import os

import hypothesis
import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from logistics.accounts.roles import Role
from logistics.tenancy.models import Membership, School

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
#: operations that are not part of the school's data API (signing in has its own tests and lockout)
SKIPPED = ("/api/v1/auth/token/",)


def _schema(school=None):
    """The schema as served; with ``school``, each ``{id}`` in a path is drawn from real records of that
    school (and one that does not exist), so the generated requests reach real objects."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    document["paths"] = {path: ops for path, ops in document["paths"].items() if not path.startswith(SKIPPED)}
    if school is not None:
        for path, operations in document["paths"].items():
            ids = _ids_for(path, school)
            if ids is None:
                continue
            for operation in operations.values():
                for parameter in operation.get("parameters", []):
                    if parameter.get("in") == "path" and parameter["name"] == "id":
                        parameter["schema"] = {"type": "integer", "enum": ids}
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = get_wsgi_application()
    return loaded


def _ids_for(path, school):
    if "{id}" not in path:
        return None
    cls = getattr(resolve(path.replace("{id}", "1")).func, "cls", None)
    model = getattr(getattr(cls, "queryset", None), "model", None)
    if model is None:
        return None
    rows = model._base_manager.all()
    if model is not School:
        rows = rows.filter(**{getattr(model, "school_field", "school_id"): school.pk})
    ids = list(rows.order_by("-pk").values_list("pk", flat=True)[:6])
    return [*ids, 999999999]


@pytest.fixture
def tokens(db):
    """The demo data (two schools) and a token for the logistics head and a teacher of the first."""
    call_command("seed_demo", verbosity=0)
    school = School.objects.get(slug="demo-1")
    result = {}
    for role in (Role.LOGISTICS_HEAD, Role.TEACHER):
        user = Membership.objects.filter(school=school, role=role).order_by("pk").first().user
        result[role] = Token.objects.get_or_create(user=user)[0].key
    return result


@pytest.fixture
def same_connection():
    """The WSGI app runs in this thread on the test's connection: keep Django from closing it between
    requests (as django.test.Client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _fuzz(operation, tokens):
    """Run the operation's generated cases as each persona; return the first failure's text, or None."""
    failures = []

    @hypothesis.given(case=operation.as_strategy())
    @hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(hypothesis.HealthCheck),
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    )
    def run(case):
        if failures:
            return
        for role in (Role.LOGISTICS_HEAD, Role.TEACHER):
            try:
                case.call_and_validate(headers={"Authorization": f"Token {tokens[role]}"}, checks=CHECKS)
            except (Exception, BaseExceptionGroup) as exc:  # a failed check or a server error: keep the first
                parts = getattr(exc, "exceptions", None) or [exc]
                text = "\n".join(str(part)[:1500] for part in parts)
                failures.append(f"{operation.method.upper()} {operation.path} as {role}:\n{text}")
                return

    run()
    return failures[0] if failures else None


@pytest.mark.xdist_group("schema_fuzz")
def test_every_operation_answers_as_documented(tokens, same_connection):
    schema = _schema(School.objects.get(slug="demo-1"))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 80, "every operation of the schema is fuzzed"
    failures = [failure for operation in operations if (failure := _fuzz(operation, tokens))]
    assert not failures, f"{len(failures)} of {len(operations)} operations:\n\n" + "\n\n".join(failures)
