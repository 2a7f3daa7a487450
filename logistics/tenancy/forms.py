from logistics.ui.forms import SchoolScopedForm

from .models import Building, Campus, Room


class CampusForm(SchoolScopedForm):
    class Meta:
        model = Campus
        fields = ["name", "address"]


class BuildingForm(SchoolScopedForm):
    class Meta:
        model = Building
        fields = ["campus", "name", "code", "floors"]


class RoomForm(SchoolScopedForm):
    class Meta:
        model = Room
        fields = ["building", "name", "code", "floor", "kind"]
