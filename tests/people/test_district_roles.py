"""The district-roles API (issue 8 § Staff and roles): a district officer lists, grants and revokes the
district officer role of their own district; nobody else may."""

import pytest

from logistics.accounts.roles import Role
from logistics.audit.models import ChangeRecord
from logistics.tenancy.models import Membership

pytestmark = pytest.mark.django_db
URL = "/api/v1/districts/officers/"


class TestDistrictRolesAPI:
    def test_grant_list_revoke(self, roster, api):
        client = api(roster.officer)
        response = client.post(URL, {"display_name": "刘科长", "phone": "13600136000"}, format="json")
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["first_password"] and body["officer"]["active"] is True
        pk = body["officer"]["id"]
        membership = Membership.objects.get(user_id=pk, district=roster.school.district, role=Role.DISTRICT_OFFICER)
        assert ChangeRecord.objects.filter(content_type__model="membership", object_id=membership.pk).exists()
        listed = {row["id"]: row["active"] for row in client.get(URL).json()["results"]}
        assert listed[pk] is True and listed[roster.officer.pk] is True
        response = client.post(f"{URL}{pk}/revoke/", {}, format="json")
        assert response.status_code == 200 and response.json()["active"] is False
        membership.refresh_from_db()
        assert not membership.active  # kept, inactive: its history stays
        assert client.post(f"{URL}{roster.officer.pk}/revoke/", {}, format="json").status_code == 400  # not oneself

    def test_others_are_refused(self, roster, api):
        for user in (roster.principal, roster.head, roster.parent):
            client = api(user)
            assert client.get(URL).status_code == 403
            response = client.post(URL, {"display_name": "x", "phone": "13600136001"}, format="json")
            assert response.status_code == 403
        assert not Membership.objects.filter(role=Role.DISTRICT_OFFICER, user__username="13600136001").exists()
