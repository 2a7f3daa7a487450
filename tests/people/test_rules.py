"""Who sees what about minors (issue 8 § Who sees what): each line of the rule, through restrict()
(the roles map's scope_q), and every people page and API fetched as each role."""

import pytest

from logistics.people.models import GuardianLink, Invitation, SchoolClass, Student
from tests.pages import page_text


def students(user):
    return set(Student.objects.restrict(user, "view").values_list("name", flat=True))


def links(user):
    return set(GuardianLink.objects.restrict(user, "view").values_list("student__name", flat=True))


class TestStudentRules:
    def test_principal_and_logistics_head_see_all_of_their_school(self, roster):
        for user in (roster.principal, roster.head):
            assert students(user) == {"小明", "小红", "小刚"}
            assert links(user) == {"小明"}

    def test_teachers_see_the_classes_they_teach_or_head(self, roster):
        assert students(roster.class_teacher) == {"小明", "小红"}
        assert students(roster.subject_teacher) == {"小刚"}
        assert students(roster.other_teacher) == set()

    def test_only_the_class_teacher_sees_guardians_of_the_class(self, roster):
        assert links(roster.class_teacher) == {"小明"}
        assert links(roster.subject_teacher) == set()
        assert links(roster.other_teacher) == set()

    def test_guards_canteen_and_repair_workers_see_no_student_data(self, roster):
        for user in (roster.guard, roster.canteen, roster.canteen_manager, roster.worker):
            assert students(user) == set()
            assert links(user) == set()
            assert not Invitation.objects.restrict(user, "view").exists()

    def test_parents_see_their_own_children_only(self, roster):
        assert students(roster.parent) == {"小明"}
        assert links(roster.parent) == {"小明"}

    def test_district_sees_counts_only(self, roster, login):
        assert students(roster.officer) == set()
        assert links(roster.officer) == set()
        body = login(roster.officer).get("/people/district/schools/").content.decode()
        assert "小明" not in body and '<td class="text-end">3</td>' in body

    def test_another_schools_head_sees_nothing_here(self, roster):
        assert students(roster.other_head) == {"外校生"}
        assert links(roster.other_head) == set()

    def test_logistics_staff_and_finance_see_names_not_guardians(self, roster):
        for user in (roster.staff, roster.finance):
            assert students(user) == {"小明", "小红", "小刚"}
            assert links(user) == set()

    def test_a_revoked_teaching_assignment_takes_effect_on_the_next_request(self, roster, api):
        client = api(roster.subject_teacher)
        assert client.get(f"/api/v1/people/students/{roster.other.pk}/").status_code == 200
        roster.class_b.teachers.remove(roster.subject_teacher)
        assert client.get(f"/api/v1/people/students/{roster.other.pk}/").status_code == 404


def pages(r):
    """Every people page and API address of the roster, with the roles that may open it."""
    heads = {"principal", "head"}
    own_school = heads | {"other_head"}  # pages of the current school: another school's head sees their own
    teachers_a = {"class_teacher"}
    return [
        ("/people/staff/", own_school),
        ("/people/staff/add/", own_school),
        (f"/people/staff/{r.class_teacher.pk}/", heads),
        ("/people/grades/", None),
        ("/people/classes/", None),
        (f"/people/classes/{r.class_a.pk}/", None),
        ("/people/classes/promote/", own_school),
        (f"/people/classes/{r.class_a.pk}/invitations.pdf", heads | teachers_a),
        ("/people/students/", None),
        (f"/people/students/{r.child.pk}/", heads | teachers_a | {"parent", "staff", "finance"}),
        (f"/people/students/{r.other.pk}/", heads | {"subject_teacher", "staff", "finance"}),
        ("/people/district/schools/", {"officer"}),
        ("/api/v1/people/staff/", own_school),
        ("/api/v1/people/invitations/", None),
        ("/api/v1/people/guardians/", None),
        ("/api/v1/people/students/", None),
        ("/api/v1/people/classes/", None),
        (f"/api/v1/people/students/{r.child.pk}/", heads | teachers_a | {"parent", "staff", "finance"}),
        (f"/api/v1/people/guardians/{r.link.pk}/", heads | teachers_a | {"parent"}),
        ("/api/v1/districts/schools/", {"officer"}),
    ]


ROLES = [
    "principal",
    "head",
    "staff",
    "finance",
    "worker",
    "class_teacher",
    "subject_teacher",
    "other_teacher",
    "canteen_manager",
    "canteen",
    "guard",
    "parent",
    "officer",
    "other_head",
]


@pytest.mark.parametrize("role", ROLES)
def test_every_people_page_and_api_as_each_role(role, roster, login, api):
    """Each role opens every address: allowed ones answer 200 (without another school's or a hidden
    student's name); the others 403/404 or show no student. Nothing shows a raw boolean."""
    user = getattr(roster, role)
    page, client = login(user), api(user)
    visible = students(user)
    for url, allowed in pages(roster):
        response = (client if url.startswith("/api/") else page).get(url)
        assert response.status_code < 500, (role, url, response.status_code)
        body = response.content.decode(errors="ignore") if "pdf" not in response.get("Content-Type", "") else ""
        if allowed is not None:
            if role in allowed:
                assert response.status_code == 200, (role, url, response.status_code)
            else:
                assert response.status_code in (302, 403, 404), (role, url, response.status_code)
        for name in {"小明", "小红", "小刚", "外校生"} - visible:
            assert name not in body, (role, url, name)
        if response.status_code == 200 and not url.startswith("/api/"):
            assert ">True<" not in body and ">False<" not in body and "✓" not in body, (role, url)
        assert "110101201001011237" not in body, (role, url)


def test_lists_show_yes_no_and_labels(roster, login):
    body = login(roster.head).get("/people/students/").content.decode()
    assert "是" in body and "<td>男</td>" in body and "<td>male</td>" not in body
    detail = page_text(login(roster.parent).get(f"/people/students/{roster.child.pk}/"))
    assert "住校生" in detail and "是" in detail and "True" not in detail
    export = login(roster.head).get("/people/students/", {"export": "csv"}).content.decode("utf-8-sig")
    assert "True" not in export and "False" not in export and "是" in export


class TestSchoolClassRules:
    def test_every_staff_role_and_the_district_list_classes_but_parents_do_not(self, roster):
        assert SchoolClass.objects.restrict(roster.guard).count() == 2
        assert SchoolClass.objects.restrict(roster.officer).count() == 2
        assert SchoolClass.objects.restrict(roster.parent).count() == 0
