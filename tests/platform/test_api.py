from rest_framework.test import APIClient

from logistics.accounts.roles import Role
from tests.pages import page_text

from ..factories import BuildingFactory, UserFactory


class TestApiAuth:
    def test_token_then_me(self, school, make_user):
        user = make_user(Role.TEACHER, school, username="t1")
        client = APIClient()
        response = client.post("/api/v1/auth/token/", {"username": "t1", "password": "pw"}, format="json")
        assert response.status_code == 200
        token = response.json()["token"]
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        me = client.get("/api/v1/me/").json()
        assert me["id"] == user.pk and me["username"] == "t1"
        assert me["memberships"] == [
            {"school": {"id": school.pk, "slug": school.slug, "name": school.name}, "role": "teacher"}
        ]
        assert me["current_school"]["id"] == school.pk

    def test_bad_credentials_are_400_json(self, school):
        response = APIClient().post("/api/v1/auth/token/", {"username": "x", "password": "y"}, format="json")
        assert response.status_code == 400 and "non_field_errors" in response.json()["errors"]
        assert response.json()["detail"]

    def test_token_endpoint_throttled(self, settings, school):
        client = APIClient()
        codes = [client.post("/api/v1/auth/token/", {"username": "x", "password": "y"}).status_code for _ in range(22)]
        assert 429 in codes

    def test_anonymous_is_401_with_the_challenge(self):
        anonymous = APIClient().get("/api/v1/me/")  # as the schema says: 401 with the challenge, in words
        assert anonymous.status_code == 401 and anonymous["WWW-Authenticate"] == "Token"
        assert anonymous.json()["detail"] == "身份认证信息未提供。"


class TestSchoolAPI:
    def test_schools_visible(self, school, other_school, make_user, api):
        response = api(make_user(Role.TEACHER, school)).get("/api/v1/schools/")
        assert [row["id"] for row in response.json()["results"]] == [school.pk]
        assert api(make_user(Role.TEACHER, school)).get(f"/api/v1/schools/{other_school.pk}/").status_code == 404


class TestBuildingAPI:
    def test_only_logistics_head_writes_places(self, school, make_user, api):
        building = BuildingFactory(school=school, campus__school=school)
        teacher = api(make_user(Role.TEACHER, school))
        payload = {"building": building.pk, "name": "新教室", "kind": "classroom"}
        assert teacher.post("/api/v1/rooms/", payload, format="json").status_code == 403
        head = api(make_user(Role.LOGISTICS_HEAD, school))
        response = head.post("/api/v1/rooms/", payload, format="json")
        assert response.status_code == 201, response.content
        assert response.json()["school"] == school.pk

    def test_bad_input_is_readable_400(self, school, make_user, api):
        head = api(make_user(Role.LOGISTICS_HEAD, school))
        response = head.post("/api/v1/rooms/", {"name": ""}, format="json")
        assert response.status_code == 400
        body = response.json()
        assert "building" in body["errors"] and "name" in body["errors"] and body["detail"]
        assert head.get("/api/v1/rooms/?page=abc").status_code == 200  # a bad page number reads as page 1
        assert head.get("/api/v1/rooms/?floor=notanumber").status_code == 400

    def test_a_404_names_no_model(self, school, other_school, make_user, api):
        """Django's own 404 text ("No Asset matches the given query.") is English and names the model:
        every 404 answers the same translated words."""
        from tests.assets.factories import make_asset

        theirs = make_asset(other_school)
        head = api(make_user(Role.LOGISTICS_HEAD, school))
        for path in (
            f"/api/v1/assets/assets/{theirs.pk}/lend/",
            "/api/v1/assets/assets/987654321/transfer/",
            f"/api/v1/assets/assets/{theirs.pk}/",
        ):
            method = head.get if path.endswith(f"{theirs.pk}/") else head.post
            response = method(path, {}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
            assert response.status_code == 404, (path, response.content)
            assert response.json() == {"detail": "未找到。"}, (path, response.json())

    def test_cannot_use_other_schools_building(self, school, other_school, make_user, api):
        theirs = BuildingFactory(school=other_school, campus__school=other_school)
        head = api(make_user(Role.LOGISTICS_HEAD, school))
        response = head.post("/api/v1/rooms/", {"building": theirs.pk, "name": "x"}, format="json")
        assert response.status_code == 400 and "building" in response.json()["errors"]

    def test_page_size_and_cap(self, school, make_user, api):
        head = api(make_user(Role.LOGISTICS_HEAD, school))
        building = BuildingFactory(school=school, campus__school=school)
        for i in range(3):
            head.post("/api/v1/rooms/", {"building": building.pk, "name": f"r{i}"}, format="json")
        body = head.get("/api/v1/rooms/?page_size=2").json()
        assert len(body["results"]) == 2 and body["count"] == 3 and body["count_is_exact"] and body["next"]
        assert head.get("/api/v1/rooms/?page_size=100000").status_code == 200
        assert head.get("/api/v1/rooms/?ordering=-name").json()["results"][0]["name"] == "r2"

    def test_capped_count_still_reaches_every_row(self, school, make_user, api, settings):
        settings.HOUQIN_LIST_COUNT_CAP = 2
        head = api(make_user(Role.LOGISTICS_HEAD, school))
        building = BuildingFactory(school=school, campus__school=school)
        for i in range(5):
            head.post("/api/v1/rooms/", {"building": building.pk, "name": f"r{i}"}, format="json")
        seen, url, pages = [], "/api/v1/rooms/?page_size=2&ordering=name", 0
        while url and pages < 10:
            body = head.get(url).json()
            assert body["count"] == 2 and body["count_is_exact"] is False
            seen += [row["name"] for row in body["results"]]
            url, pages = body["next"], pages + 1
        assert seen == ["r0", "r1", "r2", "r3", "r4"] and pages == 3  # the last page has no next link
        assert head.get("/api/v1/rooms/?page_size=2&page=99999999999").status_code == 404

    def test_form_encoded_create_defaults_school(self, school, make_user, api):
        head = api(make_user(Role.LOGISTICS_HEAD, school))
        response = head.post("/api/v1/campuses/", {"name": "表单校区"}, format="multipart")
        assert response.status_code == 201, response.content
        assert response.json()["school"] == school.pk


class TestCampusAPI:
    def test_list(self, school, make_user, api):
        from ..factories import CampusFactory

        CampusFactory(school=school)
        assert len(api(make_user(Role.PRINCIPAL, school)).get("/api/v1/campuses/").json()["results"]) == 1


class TestSchemaAndDocs:
    def test_schema_lists_platform_endpoints(self, school, make_user, api):
        schema = api(make_user(Role.TEACHER, school)).get("/api/schema/", HTTP_ACCEPT="application/json").json()
        for path in ("/api/v1/me/", "/api/v1/auth/token/", "/api/v1/rooms/", "/api/v1/schools/"):
            assert path in schema["paths"], path

    def test_only_get_lists_are_documented_as_paginated(self, school, make_user, api):
        """DRF pages a queryset in ``list()`` alone: a POST answering many rows answers a plain array (the
        class's invitations did, while the schema promised the paginated envelope)."""
        schema = api(make_user(Role.TEACHER, school)).get("/api/schema/", HTTP_ACCEPT="application/json").json()
        paginated = []
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                for code, response in operation.get("responses", {}).items():
                    ref = response.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref", "")
                    if method != "get" and code.startswith("2") and "/Paginated" in ref:
                        paginated.append(f"{method.upper()} {path} {code}")
        assert not paginated
        invitations = schema["paths"]["/api/v1/people/invitations/"]["post"]["responses"]["201"]
        assert invitations["content"]["application/json"]["schema"]["type"] == "array"

    def test_no_developer_docstring_of_a_base_is_shown(self, school, make_user, api):
        """Step request bodies, school-scoped serializers and workflow viewsets inherited their bases'
        docstrings ("Context: ``request`` and ``object``…", "Mix into a school-scoped viewset…"): the schema
        shows a class's own docstring or none."""
        from logistics.api.docs import _INTERNAL

        schema = api(make_user(Role.TEACHER, school)).get("/api/schema/", HTTP_ACCEPT="application/json").json()
        texts = [c.get("description", "") for c in schema["components"]["schemas"].values()]
        texts += [
            operation.get("description", "")
            for operations in schema["paths"].values()
            for operation in operations.values()
            if isinstance(operation, dict)
        ]
        assert len(_INTERNAL) >= 3
        for base in _INTERNAL:
            first_line = base.__doc__.strip().splitlines()[0]
            assert not [t for t in texts if first_line in t], base.__name__
        assert (
            "Name the responsible person"
            in schema["paths"]["/api/v1/corrective/actions/{id}/assign/"]["post"]["description"]
        )

    def test_swagger_ui_offline(self, client):
        body = page_text(client.get("/api/docs/"))
        assert "swagger-ui" in body and "cdn" not in body.lower() and "<script>" not in body

    def test_healthz(self, client, db):
        body = client.get("/healthz").json()
        assert body["database"] == "ok" and "broker" in body


def test_user_factory_password(db):
    assert UserFactory(username="pwtest").check_password("pw")
