"""Guardians and invitations: the class sheet, single-use and school-bound codes, one account for two
children, guardians added by staff, links ended and recorded."""

from django.contrib.auth import get_user_model

from logistics.audit.models import ChangeRecord
from logistics.people.models import GuardianLink, Invitation, Student
from logistics.people.services import guardians as services

User = get_user_model()
ACCEPT = "/api/v1/people/invitations/accept/"


def sheet(roster, user=None):
    return dict(services.class_invitations(roster.class_a, user or roster.class_teacher))


class TestInvitation:
    def test_class_teacher_prints_the_sheet_of_their_class(self, roster, login):
        response = login(roster.class_teacher).get(f"/people/classes/{roster.class_a.pk}/invitations.pdf")
        assert response.status_code == 200 and response.content[:4] == b"%PDF"
        assert Invitation.objects.filter(student__school_class=roster.class_a).count() == 2
        again = login(roster.class_teacher).get(f"/people/classes/{roster.class_a.pk}/invitations.pdf")
        assert again.status_code == 200 and Invitation.objects.count() == 2  # unused codes are reused
        assert (
            login(roster.subject_teacher).get(f"/people/classes/{roster.class_b.pk}/invitations.pdf").status_code == 403
        )
        assert (
            login(roster.class_teacher).get(f"/people/classes/{roster.class_b.pk}/invitations.pdf").status_code == 403
        )

    def test_api_creates_a_class_sheet(self, roster, api):
        response = api(roster.head).post(
            "/api/v1/people/invitations/", {"school_class": roster.class_a.pk}, format="json"
        )
        assert response.status_code == 201 and len(response.json()) == 2
        assert api(roster.guard).post(
            "/api/v1/people/invitations/", {"school_class": roster.class_a.pk}
        ).status_code in (
            400,
            403,
        )

    def test_accept_on_the_page_links_the_child_and_signs_in(self, roster, client):
        invitation = sheet(roster)[roster.classmate]
        url = f"/people/join/{roster.school.slug}/"
        assert client.get(url, {"code": invitation.code}).status_code == 200
        response = client.post(
            url,
            {
                "code": invitation.code,
                "name": "小红妈妈",
                "phone": "139 0000 1111",
                "relation": "mother",
                "password": "Hq-garden-42",
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        guardian = User.objects.get(username="13900001111")
        assert str(guardian.phone) == "+8613900001111"
        assert list(Student.objects.restrict(guardian)) == [roster.classmate]
        home = client.get("/").content.decode()
        assert "小红" in home and "小明" not in home
        invitation.refresh_from_db()
        assert invitation.used_by == guardian

    def test_codes_are_single_use(self, roster, api):
        invitation = sheet(roster)[roster.classmate]
        data = {"school": roster.school.slug, "code": invitation.code, "relation": "mother", "phone": "13900001111"}
        assert api().post(ACCEPT, {**data, "password": "Hq-garden-42"}, format="json").status_code == 200
        second = api().post(ACCEPT, {**data, "phone": "13900002222", "password": "Hq-garden-43"}, format="json")
        assert second.status_code == 400 and "code" in second.json()["errors"]
        assert not User.objects.filter(username="13900002222").exists()

    def test_codes_are_bound_to_their_school(self, roster, other_school, api):
        invitation = sheet(roster)[roster.classmate]
        data = {"school": other_school.slug, "code": invitation.code, "relation": "mother"}
        response = api().post(ACCEPT, {**data, "phone": "13900001111", "password": "Hq-garden-42"}, format="json")
        assert response.status_code == 400
        assert not GuardianLink.objects.filter(student=roster.classmate).exists()

    def test_a_second_child_links_to_the_same_account(self, roster, api):
        codes = sheet(roster)
        data = {"school": roster.school.slug, "relation": "mother", "phone": "13900001111", "password": "Hq-garden-42"}
        first = api().post(ACCEPT, {**data, "code": codes[roster.classmate].code}, format="json").json()
        wrong = api().post(ACCEPT, {**data, "code": codes[roster.child].code, "password": "nope"}, format="json")
        assert wrong.status_code == 400 and "password" in wrong.json()["errors"]
        second = api().post(ACCEPT, {**data, "code": codes[roster.child].code}, format="json").json()
        assert first["guardian"] == second["guardian"]
        guardian = User.objects.get(pk=first["guardian"])
        assert set(Student.objects.restrict(guardian)) == {roster.child, roster.classmate}

    def test_the_sign_in_lockout_covers_the_password_check(self, roster, api, settings):
        codes = sheet(roster)
        data = {"school": roster.school.slug, "relation": "mother", "phone": "13900001111", "password": "Hq-garden-42"}
        api().post(ACCEPT, {**data, "code": codes[roster.classmate].code}, format="json")
        for _attempt in range(settings.LOGIN_FAILURE_LIMIT):
            api().post(ACCEPT, {**data, "code": codes[roster.child].code, "password": "guess"}, format="json")
        locked = api().post(ACCEPT, {**data, "code": codes[roster.child].code}, format="json")
        assert (
            locked.status_code == 400
            and not GuardianLink.objects.filter(student=roster.child).exclude(guardian=roster.parent).exists()
        )

    def test_signed_in_parent_adds_a_child(self, roster, api):
        code = sheet(roster)[roster.classmate].code
        client = api(roster.parent)
        response = client.post(
            ACCEPT, {"school": roster.school.slug, "code": code, "relation": "father"}, format="json"
        )
        assert response.status_code == 200 and response.json()["guardian"] == roster.parent.pk
        assert set(Student.objects.restrict(roster.parent)) == {roster.child, roster.classmate}


class TestGuardianLink:
    def test_staff_add_a_guardian_with_a_first_password(self, roster, login):
        client = login(roster.head)
        response = client.post(
            f"/people/students/{roster.other.pk}/guardians/",
            {"name": "刚爸", "phone": "13700001234", "relation": "father"},
        )
        assert response.status_code == 302
        guardian = User.objects.get(username="13700001234")
        assert guardian.must_change_password and list(Student.objects.restrict(guardian)) == [roster.other]
        assert login(roster.class_teacher).post(
            f"/people/students/{roster.child.pk}/guardians/", {"name": "x", "phone": "13700001235", "relation": "other"}
        ).status_code in (403, 404)

    def test_api_adds_a_guardian(self, roster, api):
        response = api(roster.head).post(
            "/api/v1/people/guardians/",
            {"student": roster.other.pk, "name": "刚妈", "phone": "13700004321", "relation": "mother"},
            format="json",
        )
        assert response.status_code == 201 and response.json()["first_password"]
        assert response.json()["link"]["relation_label"] == "母亲"

    def test_class_teacher_sees_guardian_phones_of_their_class(self, roster, login):
        roster.parent.phone = "+8613600001234"
        roster.parent.save()
        assert (
            "136 0000 1234" in login(roster.class_teacher).get(f"/people/students/{roster.child.pk}/").content.decode()
        )
        roster.class_b.teachers.add(roster.class_teacher)
        body = login(roster.subject_teacher).get(f"/people/students/{roster.other.pk}/").content.decode()
        assert "136 0000 1234" not in body

    def test_ending_a_link_is_recorded_and_hides_the_child(self, roster, api):
        response = api(roster.head).post(f"/api/v1/people/guardians/{roster.link.pk}/end/", {"reason": "监护权变更"})
        assert response.status_code == 204
        assert not Student.objects.restrict(roster.parent).exists()
        record = ChangeRecord.objects.get(event="guardian.unlinked", object_id=roster.child.pk)
        assert record.user == roster.head and "监护权变更" in record.message
        assert api(roster.class_teacher).post(f"/api/v1/people/guardians/{roster.link.pk}/end/").status_code == 404

    def test_guardian_events_are_for_the_heads_only(self, roster, login):
        other = GuardianLink.objects.create(school=roster.school, student=roster.child, guardian=roster.guard)
        services.end_link(other, roster.head, "监护权变更")
        assert "监护权变更" in login(roster.head).get(f"/people/students/{roster.child.pk}/").content.decode()
        for user in (roster.parent, roster.class_teacher):
            assert "监护权变更" not in login(user).get(f"/people/students/{roster.child.pk}/").content.decode()
