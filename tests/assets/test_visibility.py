"""Who sees what: management all of their school; teachers their custody and classroom; finance
values; parents damage records of their own child only."""

import pytest

from assets import services
from assets.models import Asset, DamageRecord
from logistics.accounts.roles import Role
from logistics.people.models import Grade, GuardianLink, SchoolClass, Student

from .factories import make_asset, make_room

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(school, make_user):
    teacher = make_user(Role.TEACHER, school)
    home = make_room(school)
    grade = Grade.objects.create(school=school, name="七年级")
    klass = SchoolClass.objects.create(school=school, grade=grade, name="1班", head_teacher=teacher, room=home)
    other_class = SchoolClass.objects.create(school=school, grade=grade, name="2班")
    child = Student.objects.create(school=school, school_class=klass, name="小明", student_number="001")
    other_child = Student.objects.create(school=school, school_class=other_class, name="小红", student_number="002")
    parent = make_user(Role.PARENT, school)
    GuardianLink.objects.create(school=school, student=child, guardian=parent)
    return {
        "teacher": teacher,
        "parent": parent,
        "held": make_asset(school, custodian=teacher),
        "in_classroom": make_asset(school, room=home),
        "elsewhere": make_asset(school),
        "child_damage": services.open_damage_record(
            school=school, user=None, amount=30, description="a", responsible_student=child
        ),
        "other_damage": services.open_damage_record(
            school=school, user=None, amount=40, description="b", responsible_student=other_child
        ),
    }


@pytest.mark.parametrize("role", [Role.LOGISTICS_HEAD, Role.LOGISTICS_STAFF, Role.PRINCIPAL, Role.FINANCE_OFFICER])
def test_management_and_finance_see_all(school, other_school, make_user, scene, role):
    theirs = make_asset(other_school)
    visible = set(Asset.objects.restrict(make_user(role, school), "view").values_list("pk", flat=True))
    assert {scene["held"].pk, scene["in_classroom"].pk, scene["elsewhere"].pk} <= visible
    assert theirs.pk not in visible


def test_teacher_sees_custody_and_classroom(scene):
    visible = set(Asset.objects.restrict(scene["teacher"], "view").values_list("pk", flat=True))
    assert visible == {scene["held"].pk, scene["in_classroom"].pk}
    assert not Asset.objects.restrict(scene["teacher"], "transfer").exists()
    damages = set(DamageRecord.objects.restrict(scene["teacher"], "view").values_list("pk", flat=True))
    assert damages == {scene["child_damage"].pk}  # their class's


def test_parent_sees_only_own_childs_damage(scene, login, api):
    parent = scene["parent"]
    visible = set(DamageRecord.objects.restrict(parent, "view").values_list("pk", flat=True))
    assert visible == {scene["child_damage"].pk}
    assert not Asset.objects.restrict(parent, "view").exists()
    client = login(parent)
    assert client.get(scene["child_damage"].get_absolute_url()).status_code == 200
    assert client.get(scene["other_damage"].get_absolute_url()).status_code == 404
    rows = api(parent).get("/api/v1/assets/damages/").json()["results"]
    assert [r["id"] for r in rows] == [scene["child_damage"].pk]


def test_values_only_for_finance_and_management(school, make_user, login, scene):
    teacher_page = login(scene["teacher"]).get("/assets/assets/").content.decode()
    finance_page = login(make_user(Role.FINANCE_OFFICER, school)).get("/assets/assets/").content.decode()
    assert "4,800.00" not in teacher_page and "4800.00" not in teacher_page
    assert "4800.00" in finance_page or "4,800.00" in finance_page
    detail = login(scene["teacher"]).get(scene["held"].get_absolute_url()).content.decode()
    assert 'data-testid="valuation"' not in detail


def test_district_officer_sees_figures_not_ledger(school, make_user, login):
    officer = make_user(Role.DISTRICT_OFFICER, district=school.district)
    make_asset(school)
    assert not Asset.objects.restrict(officer, "view").exists()
    response = login(officer).get("/district/")
    assert response.status_code in (200, 404)


def test_filter_choices_only_from_own_school(school, other_school, make_user, login):
    """The ledger's filter lists offer only the current school's rooms, categories and people."""
    mine = make_room(school, name="本校房间")
    theirs = make_room(other_school, name="外校房间")
    make_asset(other_school, room=theirs)
    outsider = make_user(Role.TEACHER, other_school, username="外校老师")
    body = login(make_user(Role.LOGISTICS_HEAD, school)).get("/assets/assets/").content.decode()
    assert mine.name in body
    assert theirs.name not in body and outsider.username not in body
