from logistics.accounts.roles import Role
from logistics.tenancy import rules
from logistics.tenancy.models import Building, Campus, Room

from ..factories import BuildingFactory, CampusFactory, StudentFactory
from ..mixins import ViewTestCases
from ..pages import page_text


class TestCampusViews(ViewTestCases):
    list_url = "/school/campuses/"

    def make_object(self, school):
        return CampusFactory(school=school)


class TestBuildingViews(ViewTestCases):
    list_url = "/school/buildings/"
    list_queries = 12

    def make_object(self, school):
        return BuildingFactory(school=school, campus__school=school)


class TestStudentViews(ViewTestCases):
    list_url = "/people/students/"
    denied_role = "parent"
    list_queries = 12

    def make_object(self, school):
        return StudentFactory(school_class__grade__school=school)


class TestSchoolClass:
    def test_class_str(self, school):
        assert str(StudentFactory(school_class__grade__school=school).school_class)


class TestGrade:
    def test_grade_str(self, school):
        assert str(StudentFactory(school_class__grade__school=school).school_class.grade)


class TestRoomEditing:
    def test_create_room_in_current_school(self, school, make_user, login):
        building = BuildingFactory(school=school, campus__school=school)
        client = login(make_user(Role.LOGISTICS_HEAD, school))
        response = client.post(
            "/school/rooms/add/", {"building": building.pk, "name": "301", "floor": 3, "kind": "classroom"}
        )
        room = Room.objects.get(name="301")
        assert response.status_code == 302 and room.school == school

    def test_invalid_input_is_400_with_message_and_nothing_saved(self, school, make_user, login):
        client = login(make_user(Role.LOGISTICS_HEAD, school))
        response = client.post("/school/rooms/add/", {"name": "", "floor": "x"})
        assert response.status_code == 400
        assert "invalid-feedback" in response.content.decode()
        assert not Room.objects.exists()

    def test_duplicate_name_is_a_message_not_an_error(self, room, make_user, login):
        client = login(make_user(Role.LOGISTICS_HEAD, room.school))
        response = client.post(
            "/school/rooms/add/", {"building": room.building_id, "name": room.name, "floor": 1, "kind": "other"}
        )
        assert response.status_code == 400 and Room.objects.filter(name=room.name).count() == 1

    def test_other_schools_building_not_offered(self, school, other_school, make_user, login):
        theirs = BuildingFactory(school=other_school, campus__school=other_school)
        client = login(make_user(Role.LOGISTICS_HEAD, school))
        page = client.get("/school/rooms/add/").content.decode()
        assert f'<option value="{theirs.pk}"' not in page and theirs.name not in page
        response = client.post("/school/rooms/add/", {"building": theirs.pk, "name": "x", "floor": 1, "kind": "other"})
        assert response.status_code == 400 and not Room.objects.exists()

    def test_teacher_cannot_add_or_edit(self, room, make_user, login):
        client = login(make_user(Role.TEACHER, room.school))
        assert client.get("/school/rooms/add/").status_code == 403
        assert client.get(f"/school/rooms/{room.pk}/edit/").status_code == 404

    def test_delete_protected_building_shows_message(self, room, make_user, login):
        client = login(make_user(Role.LOGISTICS_HEAD, room.school))
        response = client.post(f"/school/buildings/{room.building_id}/delete/", follow=True)
        assert Building.objects.filter(pk=room.building_id).exists()
        assert "cannot be deleted" in response.content.decode() or "无法删除" in response.content.decode()

    def test_delete_room(self, room, make_user, login):
        client = login(make_user(Role.LOGISTICS_HEAD, room.school))
        assert client.post(f"/school/rooms/{room.pk}/delete/").status_code == 302
        assert not Room.objects.filter(pk=room.pk).exists()

    def test_campus_create(self, school, make_user, login):
        login(make_user(Role.LOGISTICS_HEAD, school)).post("/school/campuses/add/", {"name": "北校区"})
        assert Campus.objects.filter(school=school, name="北校区").exists()


class TestListFeatures:
    def test_sort_filter_search_paginate(self, school, make_user, login):
        building = BuildingFactory(school=school, campus__school=school)
        for name in ("A101", "B202", "C303"):
            Room.objects.create(school=school, building=building, name=name, kind="lab" if name == "B202" else "office")
        client = login(make_user(Role.LOGISTICS_HEAD, school))
        body = client.get("/school/rooms/?sort=-name").content.decode()
        assert body.index("C303") < body.index("A101")
        body = page_text(client.get("/school/rooms/?kind=lab"))
        assert "B202" in body and "A101" not in body
        body = page_text(client.get("/school/rooms/?q=C30"))
        assert "C303" in body and "B202" not in body
        body = client.get("/school/rooms/?per_page=25&page=999").content.decode()
        assert "C303" in body  # clamped to the last page
        assert client.get("/school/rooms/?floor=abc").status_code == 200  # bad filter ignored with a message
        csv = client.get("/school/rooms/?kind=lab&export=csv").content.decode("utf-8-sig")
        assert "B202" in csv and "A101" not in csv


class TestExportSafety:
    def test_control_characters_and_formulas(self, school, make_user, login):
        building = BuildingFactory(school=school, campus__school=school)
        Room.objects.create(school=school, building=building, name="A\x0bB", code="=1+1")
        client = login(make_user(Role.LOGISTICS_HEAD, school))
        assert client.get("/school/rooms/?export=xlsx").status_code == 200
        csv = client.get("/school/rooms/?export=csv").content.decode("utf-8-sig")
        assert "'=1+1" in csv and "AB" in csv

    def test_too_deep_page_is_404(self, school, make_user, login, settings):
        settings.HOUQIN_LIST_COUNT_CAP = 1
        building = BuildingFactory(school=school, campus__school=school)
        Room.objects.create(school=school, building=building, name="x1")
        Room.objects.create(school=school, building=building, name="x2")
        client = login(make_user(Role.LOGISTICS_HEAD, school))
        assert client.get("/school/rooms/?page=2").status_code == 200
        assert client.get("/school/rooms/?page=99999999").status_code == 404


class TestErrorPages:
    def test_404_and_403_in_frame(self, school, make_user, login):
        client = login(make_user(Role.TEACHER, school))
        not_found = client.get("/school/rooms/999999/")
        assert not_found.status_code == 404 and 'data-testid="nav"' in not_found.content.decode()
        forbidden = client.get("/school/rooms/add/")
        assert forbidden.status_code == 403 and 'data-testid="nav"' in forbidden.content.decode()


class TestRulesPage:
    def test_head_sets_local_rule(self, school, make_user, login):
        rules.register(rules.Rule("test.days", 3, "Test days", source="test"))
        client = login(make_user(Role.LOGISTICS_HEAD, school))
        assert "Test days" in client.get("/school/rules/").content.decode()
        assert client.post("/school/rules/", {"rule:test.days": "5"}).status_code == 302
        school.refresh_from_db()
        assert rules.value(school, "test.days") == 5
        assert client.post("/school/rules/", {"rule:test.days": "-1"}).status_code == 400
        client.post("/school/rules/", {"rule:test.days": ""})
        school.refresh_from_db()
        assert rules.value(school, "test.days") == 3

    def test_infinite_and_huge_values_rejected(self, school, make_user, login):
        rules.register(rules.Rule("test.hours", 2.0, "Test hours", source="test", kind=float))
        client = login(make_user(Role.LOGISTICS_HEAD, school))
        for bad in ("inf", "nan", "1e308000", "abc", "99999999999"):
            assert client.post("/school/rules/", {"rule:test.hours": bad}).status_code == 400, bad
        school.refresh_from_db()
        assert rules.value(school, "test.hours") == 2.0

    def test_teacher_reads_but_cannot_set(self, school, make_user, login):
        client = login(make_user(Role.TEACHER, school))
        assert client.get("/school/rules/").status_code == 200
        assert client.post("/school/rules/", {"rule:test.days": "5"}).status_code == 403


class TestProfile:
    def test_token_create_and_revoke(self, school, make_user, login):
        from rest_framework.authtoken.models import Token

        user = make_user(Role.TEACHER, school)
        client = login(user)
        client.post("/accounts/profile/", {"action": "token"})
        assert Token.objects.filter(user=user).exists()
        client.post("/accounts/profile/", {"action": "revoke"})
        assert not Token.objects.filter(user=user).exists()

    def test_password_change(self, school, make_user, login):
        user = make_user(Role.TEACHER, school)
        response = login(user).post(
            "/accounts/password/",
            {"old_password": "pw", "new_password1": "Xq9!long-pass", "new_password2": "Xq9!long-pass"},
        )
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.check_password("Xq9!long-pass")


class TestDashboard:
    def test_principal_sees_widgets(self, room, make_user, login):
        body = login(make_user(Role.PRINCIPAL, room.school)).get("/").content.decode()
        assert 'data-widget="school"' in body

    def test_parent_sees_children_not_widgets(self, school, make_user, login):
        from ..factories import GuardianLinkFactory

        parent = make_user(Role.PARENT, school)
        link = GuardianLinkFactory(student__school_class__grade__school=school, guardian=parent)
        body = login(parent).get("/").content.decode()
        assert link.student.name in body and 'data-widget="school"' not in body

    def test_district_dashboard_side_by_side_flat_queries(self, make_user, login, django_assert_max_num_queries):
        from ..factories import SchoolFactory

        first = SchoolFactory()
        officer = make_user(Role.DISTRICT_OFFICER, district=first.district)
        client = login(officer)
        client.get("/district/")
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            client.get("/district/")
        for _ in range(5):
            SchoolFactory(district=first.district)
        client.get("/district/")  # the cached menu changes with the officer's schools
        with CaptureQueriesContext(connection) as many:
            body = client.get("/district/").content.decode()
        assert body.count("<tr>") == 7
        assert len(many) == len(few)

    def test_teacher_cannot_open_district_dashboard(self, school, make_user, login):
        assert login(make_user(Role.TEACHER, school)).get("/district/").status_code == 403


class TestChoiceLists:
    def test_filter_and_form_choices_are_the_schools_own(self, school, other_school, make_user, login, rf):
        import django_filters

        from logistics.tenancy.models import Membership
        from logistics.ui.filtersets import BaseFilterSet
        from logistics.ui.forms import SchoolScopedForm

        from ..factories import UserFactory

        mine = BuildingFactory(school=school, campus__school=school)
        theirs = BuildingFactory(school=other_school, campus__school=other_school)
        colleague = make_user(Role.TEACHER, school)
        stranger = make_user(Role.TEACHER, other_school)
        nobody = UserFactory()

        class RoomFilter(BaseFilterSet):
            building = django_filters.ModelChoiceFilter(queryset=Building.objects.all())
            person = django_filters.ModelChoiceFilter(queryset=type(colleague).objects.all(), method="noop")

            def noop(self, queryset, name, value):
                return queryset

            class Meta:
                model = Room
                fields = ["building"]

        request = rf.get("/")
        request.user = make_user(Role.LOGISTICS_HEAD, school)
        request.school = school
        form = RoomFilter({}, queryset=Room.objects.all(), request=request).form
        assert list(form.fields["building"].queryset) == [mine]
        people = set(form.fields["person"].queryset)
        assert colleague in people and request.user in people
        assert stranger not in people and nobody not in people
        assert theirs not in form.fields["building"].queryset

        class CampusForm(SchoolScopedForm):
            class Meta:
                model = Membership
                fields = ["user"]

        choices = set(CampusForm(user=request.user, school=school).fields["user"].queryset)
        assert colleague in choices and stranger not in choices
