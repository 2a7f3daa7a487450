"""The people API in the OpenAPI schema with real request bodies; district schools; classes and students."""

from logistics.accounts.roles import Role
from logistics.tenancy.models import Campus, Membership, School

from ..factories import GradeFactory, GuardianLinkFactory, SchoolClassFactory, StudentFactory
from ..mixins import APITestCases, ViewTestCases

SCHOOLS = "/api/v1/districts/schools/"


def test_schema_names_every_endpoint_with_its_request_body(roster, api):
    schema = api(roster.head).get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    expected = {
        "/api/v1/people/staff/": "post",
        "/api/v1/people/staff/{id}/grant-role/": "post",
        "/api/v1/people/staff/{id}/revoke-role/": "post",
        "/api/v1/people/staff/{id}/reset-password/": "post",
        "/api/v1/people/staff/{id}/deactivate/": "post",
        "/api/v1/people/classes/": "post",
        "/api/v1/people/students/": "post",
        "/api/v1/people/students/{id}/reveal-id-number/": "post",
        "/api/v1/people/guardians/": "post",
        "/api/v1/people/guardians/{id}/end/": "post",
        "/api/v1/people/invitations/": "post",
        "/api/v1/people/invitations/accept/": "post",
        "/api/v1/districts/schools/": "post",
    }
    for path, method in expected.items():
        assert method in paths[path], path
    for path in (
        "/api/v1/people/staff/",
        "/api/v1/people/staff/{id}/grant-role/",
        "/api/v1/people/invitations/accept/",
        "/api/v1/districts/schools/",
        "/api/v1/people/guardians/",
    ):
        body = paths[path]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        name = body.rsplit("/", 1)[-1]
        assert schema["components"]["schemas"][name]["properties"], path


class TestSchoolClassApi:
    def test_create_and_list(self, roster, api, room):
        client = api(roster.head)
        data = {
            "grade": roster.grade7.pk,
            "name": "七年级3班",
            "head_teacher": roster.other_teacher.pk,
            "room": room.pk,
        }
        response = client.post("/api/v1/people/classes/", data, format="json")
        assert response.status_code == 201, response.json()
        assert response.json()["active_label"] == "是"
        assert api(roster.class_teacher).post("/api/v1/people/classes/", data, format="json").status_code == 403

    def test_students_are_never_deleted(self, roster, api):
        assert api(roster.head).delete(f"/api/v1/people/students/{roster.child.pk}/").status_code == 405


class TestDistrictSchools:
    def test_officer_lists_counts_and_creates_a_school(self, roster, api):
        client = api(roster.officer)
        rows = client.get(SCHOOLS).json()
        assert rows == [
            {
                "id": roster.school.pk,
                "name": roster.school.name,
                "slug": roster.school.slug,
                "code": roster.school.code,
                "district": roster.school.district_id,
                "campus_count": 0,
                "student_count": 3,
            }
        ]
        response = client.post(
            SCHOOLS,
            {
                "name": "第三中学",
                "slug": "three",
                "code": "THR",
                "campuses": ["本部", "东校区"],
                "principal": {"display_name": "赵校长", "phone": "13600136000"},
                "logistics_head": {"display_name": "钱主任", "phone": "13600136001"},
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        school = School.objects.get(slug="three")
        assert school.district == roster.school.district
        assert Campus.objects.filter(school=school).count() == 2
        people = response.json()["people"]
        assert {p["role"] for p in people} == {"principal", "logistics_head"} and all(
            p["first_password"] for p in people
        )
        head = Membership.objects.get(school=school, role=Role.LOGISTICS_HEAD).user
        assert head.must_change_password and str(head.phone) == "+8613600136001"

    def test_others_may_not(self, roster, api):
        assert api(roster.head).get(SCHOOLS).status_code == 403
        assert api(roster.principal).post(SCHOOLS, {}, format="json").status_code == 403


class TestStudentApiCases(APITestCases):
    list_url = "/api/v1/people/students/"
    list_queries = 12

    def make_object(self, school):
        return StudentFactory(school_class__grade__school=school)

    def create_payload(self, school):
        school_class = SchoolClassFactory(grade__school=school)
        return {"name": "新生", "student_number": "S-1", "school_class": school_class.pk, "gender": "female"}


class TestSchoolClassApiCases(APITestCases):
    list_url = "/api/v1/people/classes/"
    list_queries = 12

    def make_object(self, school):
        return SchoolClassFactory(grade__school=school)

    def create_payload(self, school):
        return {"grade": GradeFactory(school=school).pk, "name": "1班"}


class TestGradeApiCases(APITestCases):
    list_url = "/api/v1/people/grades/"

    def make_object(self, school):
        return GradeFactory(school=school)

    def create_payload(self, school):
        return {"name": "一年级", "order": 1}


class TestGuardianLinkApiCases(APITestCases):
    list_url = "/api/v1/people/guardians/"
    denied_role = "teacher"
    list_queries = 12

    def make_object(self, school):
        return GuardianLinkFactory(student__school_class__grade__school=school)


class TestSchoolClassViews(ViewTestCases):
    list_url = "/people/classes/"
    list_queries = 14

    def make_object(self, school):
        return SchoolClassFactory(grade__school=school)
