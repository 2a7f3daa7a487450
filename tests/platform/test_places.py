from logistics.tenancy.models import Room

from ..factories import RoomFactory
from ..mixins import APITestCases, ViewTestCases


def make_room(school):
    return RoomFactory(school=school, building__school=school, building__campus__school=school)


class TestRoomViews(ViewTestCases):
    list_url = "/school/rooms/"
    denied_role = "parent"
    list_queries = 12
    detail_queries = 12

    def make_object(self, school):
        return make_room(school)

    def row_text(self, obj):
        return obj.name


class TestRoomAPI(APITestCases):
    list_url = "/api/v1/rooms/"
    list_queries = 8
    create_denied_role = "teacher"  # sees rooms, may not add them

    def make_object(self, school):
        return make_room(school)

    def create_payload(self, school):
        from ..factories import BuildingFactory

        building = BuildingFactory(school=school, campus__school=school)
        return {"building": building.pk, "name": "新房间", "kind": "office"}


def test_room_model_name():
    assert Room._meta.model_name == "room"
