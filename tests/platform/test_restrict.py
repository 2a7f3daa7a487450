"""restrict(): schools, roles, row rules, district officers, anonymous users."""

import pytest
from django.contrib.auth.models import AnonymousUser

from logistics.accounts.roles import Role
from logistics.people.models import GuardianLink, Student
from logistics.tenancy.models import Building, Membership, Room, School

from ..factories import GuardianLinkFactory, RoomFactory, SchoolFactory, StudentFactory, UserFactory

pytestmark = pytest.mark.django_db


class TestSchoolVisibility:
    def test_member_sees_only_own_school(self, school, other_school, make_user):
        user = make_user(Role.TEACHER, school)
        assert list(School.objects.restrict(user)) == [school]

    def test_district_officer_sees_all_schools_of_district(self, make_user):
        a = SchoolFactory()
        b = SchoolFactory(district=a.district)
        elsewhere = SchoolFactory()
        officer = make_user(Role.DISTRICT_OFFICER, district=a.district)
        assert set(School.objects.restrict(officer)) == {a, b}
        assert elsewhere not in School.objects.restrict(officer)

    def test_anonymous_sees_nothing(self, school):
        assert not School.objects.restrict(AnonymousUser()).exists()
        assert not School.objects.restrict(None).exists()

    def test_superuser_sees_everything(self, school, other_school):
        admin = UserFactory(username="root", is_superuser=True)
        assert School.objects.restrict(admin).count() == 2


class TestRoomRestrict:
    def test_rooms_of_own_school_only(self, room, other_room, make_user):
        user = make_user(Role.REPAIR_WORKER, room.school)
        assert list(Room.objects.restrict(user)) == [room]

    def test_parent_sees_no_rooms(self, room, make_user):
        assert not Room.objects.restrict(make_user(Role.PARENT, room.school)).exists()

    def test_change_needs_logistics_head(self, room, make_user):
        teacher = make_user(Role.TEACHER, room.school)
        head = make_user(Role.LOGISTICS_HEAD, room.school)
        assert not Room.objects.restrict(teacher, "change").exists()
        assert list(Room.objects.restrict(head, "change")) == [room]

    def test_memberships_cached_per_user_object(self, room, make_user, django_assert_num_queries):
        user = make_user(Role.TEACHER, room.school)
        list(Room.objects.restrict(user))
        with django_assert_num_queries(2):  # the two lists; the memberships are not read again
            list(Room.objects.restrict(user))
            list(Building.objects.restrict(user))

    def test_inactive_membership_grants_nothing(self, room):
        user = UserFactory()
        Membership.objects.create(user=user, school=room.school, role=Role.LOGISTICS_HEAD, active=False)
        assert not Room.objects.restrict(user).exists()


class TestStudentRowRules:
    def test_parent_sees_only_own_children(self, school, make_user):
        parent = make_user(Role.PARENT, school)
        mine = StudentFactory(school_class__grade__school=school)
        other = StudentFactory(school_class=mine.school_class, school=school)
        GuardianLinkFactory(student=mine, guardian=parent)
        assert list(Student.objects.restrict(parent)) == [mine]
        assert other not in Student.objects.restrict(parent)

    def test_teacher_sees_only_the_classes_they_teach_or_head(self, school, make_user):
        student = StudentFactory(school_class__grade__school=school)
        StudentFactory(school_class__grade__school=school)
        teacher = make_user(Role.TEACHER, school)
        assert list(Student.objects.restrict(teacher)) == []
        student.school_class.teachers.add(teacher)
        assert list(Student.objects.restrict(teacher)) == [student]

    def test_unknown_scope_fails_closed(self):
        assert Room.scope_q("nonsense", None).children == [("pk__in", [])]


class TestGuardianLinkRestrict:
    def test_parent_sees_own_links(self, school, make_user):
        parent = make_user(Role.PARENT, school)
        link = GuardianLinkFactory(student__school_class__grade__school=school, guardian=parent)
        GuardianLinkFactory(student=link.student)
        assert list(GuardianLink.objects.restrict(parent)) == [link]


class TestMembershipAndSchoolSwitch:
    def test_switch_school(self, login):
        a = SchoolFactory(name="甲校")
        b = SchoolFactory(name="乙校")
        user = UserFactory()
        Membership.objects.create(user=user, school=a, role=Role.LOGISTICS_HEAD)
        Membership.objects.create(user=user, school=b, role=Role.LOGISTICS_HEAD)
        RoomFactory(school=b, building__school=b, building__campus__school=b, name="乙校的房间")
        client = login(user)
        assert "乙校的房间" not in client.get("/school/rooms/").content.decode()
        response = client.post("/school/switch-school/", {"school": b.pk, "next": "/school/rooms/"})
        assert response.status_code == 302 and response["Location"] == "/school/rooms/"
        assert "乙校的房间" in client.get("/school/rooms/").content.decode()

    def test_cannot_switch_to_foreign_school(self, school, other_school, make_user, login):
        client = login(make_user(Role.LOGISTICS_HEAD, school))
        client.post("/school/switch-school/", {"school": other_school.pk, "next": "https://evil.example/"})
        assert client.session.get("houqin_school_id") is None

    def test_switcher_shown_for_multi_school_user(self, make_user, login):
        a, b = SchoolFactory(), SchoolFactory()
        user = make_user(Role.PRINCIPAL, a)
        Membership.objects.create(user=user, school=b, role=Role.PRINCIPAL)
        assert 'data-testid="school-switcher"' in login(user).get("/").content.decode()


class TestDistrict:
    def test_district_str_and_schools(self):
        school = SchoolFactory()
        assert str(school.district) == school.district.name
        assert list(school.district.schools.all()) == [school]


class TestUser:
    def test_str_prefers_display_name(self):
        assert str(UserFactory(username="u1", display_name="王老师")) == "王老师"
        assert str(UserFactory(username="u2", display_name="")) == "u2"
