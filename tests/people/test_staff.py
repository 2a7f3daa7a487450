"""Staff and roles (issue 8 § Staff and roles): add, grant, revoke, reset, deactivate — pages and API,
each recorded with who did it; forced password change; deactivated users cannot sign in or get a token."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from logistics.accounts.roles import Role
from logistics.audit.models import ChangeRecord
from logistics.tenancy.models import Membership

User = get_user_model()
STAFF = "/api/v1/people/staff/"


def events(user, school):
    return list(
        ChangeRecord.objects.filter(school=school, content_type__model="user", object_id=user.pk)
        .order_by("pk")
        .values_list("event", "user_name")
    )


class TestStaffApi:
    def test_add_a_person_with_a_first_password_shown_once(self, roster, api):
        response = api(roster.head).post(
            STAFF,
            {"display_name": "王老师", "phone": "138 0013 8000", "role": "teacher", "head_of": [roster.class_b.pk]},
            format="json",
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        user = User.objects.get(pk=body["person"]["id"])
        assert user.username == "13800138000" and str(user.phone) == "+8613800138000"
        assert user.must_change_password and user.check_password(body["first_password"])
        assert [m["role_label"] for m in body["person"]["memberships"]] == ["教师"]
        roster.class_b.refresh_from_db()
        assert roster.class_b.head_teacher == user
        assert ("staff.added", str(roster.head)) in events(user, roster.school)
        assert api(roster.head).get(f"{STAFF}{user.pk}/").json().get("first_password") is None

    def test_phone_numbers_are_validated(self, roster, api):
        response = api(roster.head).post(
            STAFF, {"display_name": "x", "phone": "12345", "role": "teacher"}, format="json"
        )
        assert response.status_code == 400 and "phone" in response.json()["errors"]

    def test_grant_and_revoke_with_trades_and_post_recorded(self, roster, api):
        client = api(roster.head)
        url = f"{STAFF}{roster.guard.pk}/"
        response = client.post(f"{url}grant-role/", {"role": "repair_worker", "trades": ["electrical"]}, format="json")
        assert response.status_code == 200
        assert Membership.objects.get(user=roster.guard, role=Role.REPAIR_WORKER).trades == "electrical"
        client.post(f"{url}grant-role/", {"role": "guard", "post": "南门"}, format="json")
        assert Membership.objects.get(user=roster.guard, role=Role.GUARD).post == "南门"
        assert client.post(f"{url}revoke-role/", {"role": "repair_worker"}, format="json").status_code == 200
        assert not Membership.objects.get(user=roster.guard, role=Role.REPAIR_WORKER).active
        recorded = events(roster.guard, roster.school)
        assert ("staff.role_granted", str(roster.head)) in recorded
        assert ("staff.role_revoked", str(roster.head)) in recorded

    def test_a_revoked_role_takes_effect_on_the_next_request(self, roster, api):
        teacher = api(roster.class_teacher)
        assert teacher.get(f"/api/v1/people/students/{roster.child.pk}/").status_code == 200
        api(roster.head).post(f"{STAFF}{roster.class_teacher.pk}/revoke-role/", {"role": "teacher"}, format="json")
        assert teacher.get(f"/api/v1/people/students/{roster.child.pk}/").status_code == 404
        roster.class_a.refresh_from_db()
        assert roster.class_a.head_teacher is None

    def test_reset_password_forces_a_change_and_ends_the_token(self, roster, api):
        from rest_framework.authtoken.models import Token

        Token.objects.create(user=roster.class_teacher)
        response = api(roster.principal).post(f"{STAFF}{roster.class_teacher.pk}/reset-password/")
        assert response.status_code == 200
        password = response.json()["first_password"]
        roster.class_teacher.refresh_from_db()
        assert roster.class_teacher.must_change_password and roster.class_teacher.check_password(password)
        assert not Token.objects.filter(user=roster.class_teacher).exists()
        assert ("staff.password_reset", str(roster.principal)) in events(roster.class_teacher, roster.school)
        token = api().post("/api/v1/auth/token/", {"username": roster.class_teacher.username, "password": password})
        assert token.status_code == 403

    def test_deactivated_users_cannot_sign_in_or_get_a_token_and_keep_their_name(self, roster, api, room):
        from repairs import services as repair_services

        ticket = repair_services.create_ticket(
            school=roster.school, user=roster.class_teacher, room=room, trade="plumbing", description="x"
        )
        response = api(roster.head).post(f"{STAFF}{roster.class_teacher.pk}/deactivate/")
        assert response.status_code == 200
        roster.class_teacher.refresh_from_db()
        assert not roster.class_teacher.is_active
        assert User.objects.filter(pk=roster.class_teacher.pk).exists()
        signed_in = Client().post("/accounts/login/", {"username": roster.class_teacher.username, "password": "pw"})
        assert signed_in.status_code == 200 and "_auth_user_id" not in signed_in.client.session
        token = api().post("/api/v1/auth/token/", {"username": roster.class_teacher.username, "password": "pw"})
        assert token.status_code == 400
        ticket.refresh_from_db()
        assert ticket.requester == roster.class_teacher and str(ticket.requester) == str(roster.class_teacher)
        assert ("staff.deactivated", str(roster.head)) in events(roster.class_teacher, roster.school)

    def test_only_heads_manage_staff_and_a_head_leaves_the_principal_alone(self, roster, api):
        assert api(roster.class_teacher).get(STAFF).status_code == 403
        assert (
            api(roster.staff).post(STAFF, {"display_name": "x", "phone": "13800138001"}, format="json").status_code
            == 403
        )
        assert api(roster.head).post(f"{STAFF}{roster.principal.pk}/reset-password/").status_code == 403
        response = api(roster.head).post(f"{STAFF}{roster.head.pk}/grant-role/", {"role": "principal"}, format="json")
        assert response.status_code == 403
        assert api(roster.other_head).get(f"{STAFF}{roster.class_teacher.pk}/").status_code == 404

    def test_nobody_deactivates_themself(self, roster, api):
        assert api(roster.head).post(f"{STAFF}{roster.head.pk}/deactivate/").status_code == 400

    def test_staff_list_shows_roles_not_parents(self, roster, api):
        rows = api(roster.head).get(STAFF, {"page_size": 100}).json()
        rows = rows["results"] if isinstance(rows, dict) else rows
        ids = {row["id"] for row in rows}
        assert roster.class_teacher.pk in ids and roster.parent.pk not in ids and roster.other_head.pk not in ids


class TestStaffPages:
    def test_add_person_page_shows_the_first_password_once(self, roster, login):
        client = login(roster.head)
        response = client.post(
            "/people/staff/add/",
            {"display_name": "李师傅", "phone": "13900000001", "role": "repair_worker", "trades": ["plumbing"]},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        page = client.get(response["Location"]).content.decode()
        assert 'data-testid="first-password-value"' in page and "维修工" in page and "水" in page
        assert "first-password-value" not in client.get(response["Location"]).content.decode()

    def test_forced_password_change(self, roster, login):
        roster.class_teacher.must_change_password = True
        roster.class_teacher.save()
        client = login(roster.class_teacher)
        response = client.get("/people/students/")
        assert response.status_code == 302 and "/accounts/password/" in response["Location"]
        assert client.get("/api/v1/people/students/").status_code == 403
        response = client.post(
            "/accounts/password/?required=1",
            {"old_password": "pw", "new_password1": "Gx7-kettle-rain", "new_password2": "Gx7-kettle-rain"},
        )
        assert response.status_code == 302
        roster.class_teacher.refresh_from_db()
        assert not roster.class_teacher.must_change_password
        assert client.get("/people/students/").status_code == 200

    def test_password_policy(self, roster, login):
        roster.class_teacher.must_change_password = True
        roster.class_teacher.save()
        response = login(roster.class_teacher).post(
            "/accounts/password/", {"old_password": "pw", "new_password1": "12345678", "new_password2": "12345678"}
        )
        assert response.status_code == 200
        roster.class_teacher.refresh_from_db()
        assert roster.class_teacher.must_change_password

    @pytest.mark.parametrize("action", ["reset", "deactivate"])
    def test_page_actions(self, roster, login, action):
        client = login(roster.principal)
        response = client.post(f"/people/staff/{roster.subject_teacher.pk}/", {"action": action})
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
        roster.subject_teacher.refresh_from_db()
        if action == "reset":
            assert "first-password-value" in page and roster.subject_teacher.must_change_password
        else:
            assert not roster.subject_teacher.is_active

    def test_grant_page(self, roster, login):
        client = login(roster.head)
        response = client.post(
            f"/people/staff/{roster.other_teacher.pk}/",
            {"action": "grant", "role": "teacher", "head_of": [roster.class_b.pk]},
        )
        assert response.status_code == 302
        roster.class_b.refresh_from_db()
        assert roster.class_b.head_teacher == roster.other_teacher


class TestFirstPasswordsForImportedStaff:
    """A staff import makes accounts without passwords; the manager prints their first passwords on one
    sheet, shown once (staff list → First passwords)."""

    URL = "/people/staff/first-passwords/"

    def imported(self, make_user, school, role=Role.TEACHER, name="新教师"):
        user = make_user(role, school)
        user.display_name = name
        user.set_unusable_password()
        user.save()
        return user

    def test_the_sheet_gives_each_imported_person_a_password_once(self, roster, make_user, login, other_school):
        first = self.imported(make_user, roster.school, name="张老师")
        second = self.imported(make_user, roster.school, Role.GUARD, name="李保安")
        elsewhere = self.imported(make_user, other_school, name="别校老师")
        client = login(roster.head)
        listing = client.get("/people/staff/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert 'data-testid="first-passwords"' in listing and "首次密码" in listing
        waiting = client.get(self.URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert "2 位通过导入添加的人员尚无密码" in waiting

        response = client.post(self.URL, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 200 and response["Cache-Control"] == "no-store"
        sheet = response.content.decode()
        assert "仅此一次显示" in sheet
        for person in (first, second):
            person.refresh_from_db()
            row = sheet[sheet.index(person.username) :]
            password = row[row.index('<code class="fs-6">') + len('<code class="fs-6">') :].split("<", 1)[0]
            assert person.check_password(password) and person.must_change_password
            assert ("staff.first_password", str(roster.head)) in events(person, roster.school)
        elsewhere.refresh_from_db()
        assert not elsewhere.has_usable_password() and "别校老师" not in sheet
        # the people who already had a password are left alone, and nothing is issued twice
        assert roster.class_teacher.username not in sheet
        again = client.post(self.URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert first.username not in again
        assert 'data-testid="none-waiting"' in client.get(self.URL).content.decode()

    def test_only_staff_managers_may_issue_them(self, roster, make_user, login):
        person = self.imported(make_user, roster.school)
        for user in (roster.class_teacher, roster.guard, roster.finance):
            assert login(user).post(self.URL).status_code == 403
        # another school's head manages their own school's staff only: nothing of ours is issued
        assert person.username not in login(roster.other_head).post(self.URL).content.decode()
        person.refresh_from_db()
        assert not person.has_usable_password()
        assert 'data-testid="first-passwords"' not in login(roster.finance).get("/people/staff/").content.decode()
