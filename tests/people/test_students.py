"""Grades, classes, students: ID numbers masked and revealed on demand (recorded); photo; promotion."""

from django.core.files.uploadedfile import SimpleUploadedFile

from logistics.audit.models import ChangeRecord
from logistics.people import idnumbers
from logistics.people.models import Grade, SchoolClass, Student


def png():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png")


class TestStudentIdNumber:
    def test_mask(self):
        assert idnumbers.mask("110101201001011237") == "110***********1237"

    def test_masked_for_everyone_revealed_on_demand_and_recorded(self, roster, login, api):
        teacher = login(roster.class_teacher).get(f"/people/students/{roster.child.pk}/").content.decode()
        assert "110***********1237" in teacher and "110101201001011237" not in teacher
        assert 'data-testid="reveal"' not in teacher
        assert login(roster.class_teacher).post(f"/people/students/{roster.child.pk}/id-number/").status_code == 403
        head = login(roster.head)
        assert 'data-testid="reveal"' in head.get(f"/people/students/{roster.child.pk}/").content.decode()
        shown = head.post(f"/people/students/{roster.child.pk}/id-number/").content.decode()
        assert "110101201001011237" in shown
        body = api(roster.principal).post(f"/api/v1/people/students/{roster.child.pk}/reveal-id-number/").json()
        assert body == {"id_number": "110101201001011237"}
        seen = ChangeRecord.objects.filter(event="student.id_number_revealed", object_id=roster.child.pk)
        assert sorted(seen.values_list("user_name", flat=True)) == sorted([str(roster.head), str(roster.principal)])
        api_body = api(roster.head).get(f"/api/v1/people/students/{roster.child.pk}/").json()
        assert api_body["id_number_masked"] == "110***********1237" and "id_number" not in api_body

    def test_never_in_change_records(self, roster):
        assert not any("110101201001011237" in str(r.after) + str(r.before) for r in ChangeRecord.objects.all())

    def test_checked_on_entry(self, roster, api):
        data = {
            "name": "新生",
            "student_number": "009",
            "school_class": roster.class_a.pk,
            "id_number": "110101201001011234",
        }
        response = api(roster.head).post("/api/v1/people/students/", data, format="json")
        assert response.status_code == 400 and "id_number" in response.json()["errors"]


class TestStudentPages:
    def test_enrol_a_student_with_photo(self, roster, login):
        client = login(roster.head)
        response = client.post(
            "/people/students/add/",
            {
                "name": "新同学",
                "student_number": "010",
                "gender": "female",
                "school_class": roster.class_a.pk,
                "photo": png(),
                "id_number": "",
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        student = Student.objects.get(student_number="010")
        assert (
            student.photo
            and login(roster.class_teacher).get(f"/people/students/{student.pk}/photo/").status_code == 200
        )
        assert login(roster.guard).get(f"/people/students/{student.pk}/photo/").status_code == 404

    def test_edit_keeps_the_id_number_when_left_empty(self, roster, login):
        client = login(roster.head)
        form = client.get(f"/people/students/{roster.child.pk}/edit/").content.decode()
        assert "110101201001011237" not in form and "110***********1237" in form
        response = client.post(
            f"/people/students/{roster.child.pk}/edit/",
            {
                "name": "小明明",
                "student_number": "001",
                "gender": "male",
                "school_class": roster.class_a.pk,
                "id_number": "",
            },
        )
        assert response.status_code == 302
        roster.child.refresh_from_db()
        assert roster.child.id_number == "110101201001011237" and roster.child.name == "小明明"


class TestSchoolClassPages:
    def test_create_a_class_with_its_class_teacher(self, roster, login, room):
        response = login(roster.head).post(
            "/people/classes/add/",
            {"grade": roster.grade7.pk, "name": "七年级2班", "head_teacher": roster.other_teacher.pk, "room": room.pk},
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        created = SchoolClass.objects.get(name="七年级2班")
        assert created.head_teacher == roster.other_teacher and created.room == room

    def test_class_teacher_choices_are_this_schools_teachers(self, roster, login):
        body = login(roster.head).get("/people/classes/add/").content.decode()
        assert str(roster.class_teacher) in body and str(roster.guard) not in body

    def test_grades(self, roster, login):
        assert login(roster.head).post("/people/grades/add/", {"name": "九年级", "order": 3}).status_code == 302
        assert Grade.objects.filter(school=roster.school, name="九年级").exists()


class TestGradePromotion:
    def test_classes_move_up_and_the_last_grade_graduates(self, roster, login):
        client = login(roster.head)
        assert "八年级" in client.get("/people/classes/promote/").content.decode()
        assert client.post("/people/classes/promote/", {"confirm": "yes"}).status_code == 302
        roster.class_a.refresh_from_db()
        roster.class_b.refresh_from_db()
        assert roster.class_a.grade == roster.grade8 and roster.class_a.name == "八年级1班"
        assert not roster.class_b.active and "届" in roster.class_b.name
        roster.other.refresh_from_db()
        assert not roster.other.active and Student.objects.filter(pk=roster.other.pk).exists()
        roster.child.refresh_from_db()
        assert roster.child.active
        # once a year
        client.post("/people/classes/promote/", {"confirm": "yes"})
        roster.class_a.refresh_from_db()
        assert roster.class_a.grade == roster.grade8

    def test_only_heads_promote(self, roster, login):
        assert login(roster.class_teacher).post("/people/classes/promote/", {"confirm": "yes"}).status_code == 403
