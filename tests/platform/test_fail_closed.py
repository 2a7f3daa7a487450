"""Fail closed: every write route of the URLconf and every write operation of the OpenAPI schema is
tried against the first demo school's records — anonymously, as a user who may only view, and as the
logistics head of the other school. None may succeed: no 2xx from the API, and no change record
written by any page or API request (every change of a domain object writes one)."""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils.module_loading import import_string
from rest_framework.test import APIClient

from logistics.accounts import roles
from logistics.audit.models import ChangeRecord
from logistics.tenancy.models import Membership, School
from logistics.workflow import steps_of

VIEWER = "test_viewer"
WRITE_METHODS = ("post", "put", "patch", "delete")
#: pages whose POST is not a domain write (signing in, language, the user's own profile and token)
NOT_DOMAIN_WRITES = {"login", "logout", "set_language", "password_change", "profile", "token", "mark_read", "healthz"}
#: a guardian's public sign-up with an invitation code (page and API): open to anyone, the code is the key
NOT_DOMAIN_WRITES |= {"join"}
PUBLIC_API_WRITES = ("/api/v1/auth/token/", "/api/v1/people/invitations/accept/")

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.xdist_group("fail_closed")]


@pytest.fixture
def demo(django_user_model):
    call_command("seed_demo", verbosity=0)
    one, two = School.objects.order_by("pk")[:2]
    viewer = django_user_model.objects.create_user("viewer.1", password="pw")
    Membership.objects.create(user=viewer, school=one, role=VIEWER)
    saved = dict(roles._grants.get(VIEWER, {}))
    roles.grant(VIEWER, sorted(p for p in roles.all_permissions() if ".view_" in p))
    outsider = Membership.objects.filter(school=two, role=roles.Role.LOGISTICS_HEAD).first().user
    yield {"one": one, "viewer": viewer, "outsider": outsider}
    roles._grants[VIEWER] = saved


def _record_count():
    return ChangeRecord.objects.count()


def _sample_pk(model, school):
    manager = model._base_manager
    if model is School:
        return school.pk
    field = getattr(model, "school_field", "school_id")
    row = manager.filter(**{field: school.pk}).order_by("pk").values_list("pk", flat=True).first()
    return row if row is not None else manager.order_by("pk").values_list("pk", flat=True).first()


def _model_of(view):
    cls = getattr(view, "cls", None) or getattr(view, "view_class", None)
    queryset = getattr(cls, "queryset", None)
    return getattr(queryset, "model", None)


# --- the API ----------------------------------------------------------------------------------------


def _api_operations():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in schema["paths"].items():
        for method in operations:
            if method in WRITE_METHODS:
                yield path, method


def _concrete(path, school):
    probe = re.sub(r"\{[^}]+\}", "1", path)
    match = resolve(probe)
    model = _model_of(match.func)
    pk = _sample_pk(model, school) if model is not None else 1
    return re.sub(r"\{[^}]+\}", str(pk or 1), path)


def test_no_api_write_succeeds_for_the_wrong_people(demo):
    operations = list(_api_operations())
    assert len(operations) > 40, "the schema lists the write operations"
    clients = {"anonymous": APIClient()}
    for name in ("viewer", "outsider"):
        clients[name] = APIClient()
        clients[name].force_authenticate(demo[name])
    failures = []
    for path, method in operations:
        url = _concrete(path, demo["one"])
        if url.startswith(PUBLIC_API_WRITES):
            continue
        for who, client in clients.items():
            before = _record_count()
            response = getattr(client, method)(url, {}, format="json")
            if 200 <= response.status_code < 300 or _record_count() != before:
                failures.append(f"{who} {method.upper()} {url} → {response.status_code}")
            if who == "viewer" and response.status_code == 400:
                # refused for its input, not for the person: the permission was not checked first
                failures.append(f"{who} {method.upper()} {url} → 400 before the permission check")
    assert not failures, "\n".join(failures)


# --- the pages --------------------------------------------------------------------------------------


def _patterns(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith(("api/", "admin/")):
                continue
            yield from _patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def _page_urls(school):
    for route, pattern in _patterns(get_resolver()):
        if pattern.name in NOT_DOMAIN_WRITES:
            continue
        model = _model_of(pattern.callback)
        pk = _sample_pk(model, school) if model is not None else 1
        params = re.findall(r"<(?:(\w+):)?(\w+)>", route)
        if any(name == "step" for _conv, name in params):
            names = [s.url_name for s in steps_of(model)] if model is not None else []
        else:
            names = [None]
        for step_name in names:
            url = route
            for conv, name in params:
                value = step_name if name == "step" else (pk or 1) if conv in ("int", "") or name == "pk" else "x"
                url = re.sub(rf"<(?:\w+:)?{name}>", str(value), url, count=1)
            yield "/" + url.lstrip("^").rstrip("$")


def test_no_page_write_succeeds_for_the_wrong_people(demo):
    urls = sorted(set(_page_urls(demo["one"])))
    assert len(urls) > 60, "the URLconf's pages are walked"
    clients = {"anonymous": Client()}
    for name in ("viewer", "outsider"):
        clients[name] = Client()
        clients[name].force_login(demo[name])
    failures = []
    for url in urls:
        for who, client in clients.items():
            before = _record_count()
            response = client.post(url, {})
            if _record_count() != before:
                failures.append(f"{who} POST {url} → {response.status_code} wrote a change record")
            if who == "anonymous" and response.status_code not in (302, 403, 404, 405):
                failures.append(f"anonymous POST {url} → {response.status_code}")
    assert not failures, "\n".join(failures)


def test_every_step_declares_an_existing_permission():
    from django.core import checks

    errors = [e for e in checks.run_checks() if e.id.startswith(("workflow.", "api.E001"))]
    assert not errors, errors


def test_an_action_without_permission_is_reported_and_refused():
    from logistics.api.checks import undeclared_actions

    viewset = import_string("repairs.api.views.TicketViewSet")
    action = viewset.work_logs
    saved = dict(action.kwargs)
    action.kwargs.pop("permission_action")
    try:
        assert (viewset, "work_logs") in undeclared_actions()
    finally:
        action.kwargs.clear()
        action.kwargs.update(saved)
    assert (viewset, "work_logs") not in undeclared_actions()
