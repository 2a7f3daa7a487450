"""Shared test cases every model's tests reuse (NetBox's ``utilities/testing``).

Subclass one in a test class named after the model (``class RoomViewTests(ViewTestCases)``) and set the
hooks; each case runs as a user without permission, with permission, and against another school's object.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


class ViewTestCases:
    """Pages: list (+ export), detail; another school's object is 404; no permission is 403/404/none shown.

    Set ``list_url``, ``detail_url(obj)``, and implement fixtures-like hooks:
    ``make_object(school)``, ``allowed_role``, ``denied_role``; pin ``list_queries`` / ``detail_queries``.
    """

    list_url = ""
    allowed_role = "logistics_head"
    denied_role = "parent"
    list_queries = None
    detail_queries = None

    def detail_url(self, obj):
        return obj.get_absolute_url()

    def make_object(self, school):
        raise NotImplementedError

    def test_list_allowed(self, school, make_user, login):
        obj = self.make_object(school)
        client = login(make_user(self.allowed_role, school))
        response = client.get(self.list_url)
        assert response.status_code == 200
        assert self.row_text(obj) in response.content.decode()

    def row_text(self, obj):
        return str(obj)

    def test_list_hides_other_school(self, school, other_school, make_user, login):
        mine = self.make_object(school)
        theirs = self.make_object(other_school)
        client = login(make_user(self.allowed_role, school))
        body = client.get(self.list_url).content.decode()
        assert self.detail_url(mine) in body
        assert self.detail_url(theirs) not in body

    def test_list_denied(self, school, make_user, login):
        obj = self.make_object(school)
        client = login(make_user(self.denied_role, school))
        response = client.get(self.list_url)
        assert response.status_code in (200, 403, 404)
        assert self.detail_url(obj) not in response.content.decode()

    def test_list_anonymous_redirects_to_login(self, client):
        response = client.get(self.list_url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_export(self, school, make_user, login):
        self.make_object(school)
        client = login(make_user(self.allowed_role, school))
        csv = client.get(self.list_url, {"export": "csv"})
        assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
        xlsx = client.get(self.list_url, {"export": "xlsx"})
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"

    def test_detail(self, school, other_school, make_user, login):
        obj = self.make_object(school)
        theirs = self.make_object(other_school)
        client = login(make_user(self.allowed_role, school))
        assert client.get(self.detail_url(obj)).status_code == 200
        assert client.get(self.detail_url(theirs)).status_code == 404
        denied = login(make_user(self.denied_role, school))
        assert denied.get(self.detail_url(obj)).status_code == 404

    def test_list_query_count_is_flat(self, school, make_user, login):
        """The list's query count does not grow with rows (and is pinned when ``list_queries`` is set)."""
        client = login(make_user(self.allowed_role, school))
        self.make_object(school)
        # each measured page has a query string of its own: a list keeping its rendered rows
        # (``Table.cache_rows``) reads none on a hit, and both pages must read theirs
        sep = "&" if "?" in self.list_url else "?"
        client.get(self.list_url)  # warm caches (content types, sessions)
        with CaptureQueriesContext(connection) as one:
            client.get(f"{self.list_url}{sep}measured=1")
        for _ in range(5):
            self.make_object(school)
        client.get(self.list_url)  # warm again (a new object's notification makes the bell be read afresh)
        with CaptureQueriesContext(connection) as many:
            client.get(f"{self.list_url}{sep}measured=2")
        assert len(many) == len(one), [q["sql"] for q in many.captured_queries]
        if self.list_queries is not None:
            assert len(one) <= self.list_queries, [q["sql"] for q in one.captured_queries]

    def test_edit_and_delete_denied(self, school, other_school, make_user, login):
        """A role without the change/delete permission, or the right role in another school, cannot
        open the edit or delete page of the object (403/404), and nothing changes."""
        from django.urls import NoReverseMatch, reverse

        obj = self.make_object(school)
        label, name = obj._meta.app_label, obj._meta.model_name
        for suffix in ("edit", "delete"):
            try:
                url = reverse(f"{label}:{name}_{suffix}", args=[obj.pk])
            except NoReverseMatch:
                continue
            for user in (make_user(self.denied_role, school), make_user(self.allowed_role, other_school)):
                client = login(user)
                assert client.get(url).status_code in (403, 404), (suffix, user)
                assert client.post(url, {}).status_code in (403, 404), (suffix, user)
        assert type(obj).objects.filter(pk=obj.pk).exists()

    def test_detail_query_count(self, school, make_user, login):
        if self.detail_queries is None:
            pytest.skip("no pinned detail query count")
        client = login(make_user(self.allowed_role, school))
        obj = self.make_object(school)
        client.get(self.detail_url(obj))
        with CaptureQueriesContext(connection) as ctx:
            client.get(self.detail_url(obj))
        assert len(ctx) <= self.detail_queries, [q["sql"] for q in ctx.captured_queries]


class APITestCases:
    """API: list/retrieve scoped to the school; another school's object is 404; anonymous is 401/403;
    every object carries ``school``. Set ``list_url``, ``make_object(school)``, ``allowed_role``,
    ``denied_role``; optionally ``list_queries``."""

    list_url = ""
    allowed_role = "logistics_head"
    denied_role = "parent"
    list_queries = None

    def make_object(self, school):
        raise NotImplementedError

    def detail_url(self, obj):
        return f"{self.list_url}{obj.pk}/"

    def test_anonymous(self, api, school):
        self.make_object(school)
        assert api(None).get(self.list_url).status_code in (401, 403)

    def test_list_and_retrieve(self, api, school, other_school, make_user):
        mine = self.make_object(school)
        theirs = self.make_object(other_school)
        client = api(make_user(self.allowed_role, school))
        response = client.get(self.list_url)
        assert response.status_code == 200, response.content
        ids = {row["id"] for row in response.json()["results"]}
        assert mine.pk in ids and theirs.pk not in ids
        assert all(row["school"] == school.pk for row in response.json()["results"])
        assert client.get(self.detail_url(mine)).status_code == 200
        assert client.get(self.detail_url(theirs)).status_code == 404

    def test_denied_role_sees_nothing(self, api, school, make_user):
        obj = self.make_object(school)
        client = api(make_user(self.denied_role, school))
        response = client.get(self.list_url)
        if response.status_code == 200:
            assert obj.pk not in {row["id"] for row in response.json()["results"]}
        else:
            assert response.status_code in (403, 404)
        assert client.get(self.detail_url(obj)).status_code in (403, 404)

    def create_payload(self, school):
        """A valid body for POST to ``list_url`` (None: creation is not tested here)."""
        return None

    def test_create_allowed_and_denied(self, api, school, make_user):
        payload = self.create_payload(school)
        if payload is None:
            pytest.skip("no create payload")
        role = getattr(self, "create_denied_role", None) or self.denied_role
        denied = api(make_user(role, school)).post(self.list_url, payload, format="json")
        assert denied.status_code in (403, 404), denied.content
        allowed = api(make_user(self.allowed_role, school)).post(self.list_url, payload, format="json")
        assert allowed.status_code == 201, allowed.content
        assert allowed.json()["school"] == school.pk

    def test_cannot_move_to_other_school(self, api, school, other_school, make_user):
        obj = self.make_object(school)
        client = api(make_user(self.allowed_role, school))
        response = client.patch(self.detail_url(obj), {"school": other_school.pk}, format="json")
        assert response.status_code in (400, 403, 404, 405), response.content
        obj.refresh_from_db()
        assert obj.school_id == school.pk

    def test_other_school_cannot_write(self, api, school, other_school, make_user):
        obj = self.make_object(school)
        client = api(make_user(self.allowed_role, other_school))
        assert client.patch(self.detail_url(obj), {}, format="json").status_code in (404, 405)
        assert client.delete(self.detail_url(obj)).status_code in (404, 405)
        assert type(obj).objects.filter(pk=obj.pk).exists()

    def test_list_query_count_is_flat(self, api, school, make_user):
        client = api(make_user(self.allowed_role, school))
        self.make_object(school)
        client.get(self.list_url)
        with CaptureQueriesContext(connection) as one:
            client.get(self.list_url)
        for _ in range(5):
            self.make_object(school)
        client.get(self.list_url)  # warm again (a new object's notification makes the bell be read afresh)
        with CaptureQueriesContext(connection) as many:
            client.get(self.list_url)
        assert len(many) == len(one), [q["sql"] for q in many.captured_queries]
        if self.list_queries is not None:
            assert len(one) <= self.list_queries, [q["sql"] for q in one.captured_queries]
