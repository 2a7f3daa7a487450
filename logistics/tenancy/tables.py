from django.utils.translation import gettext_lazy as _

from logistics.ui.tables import Column, Table


class CampusTable(Table):
    columns = [Column("name", _("name"), link=True), Column("address", _("address"))]


class BuildingTable(Table):
    columns = [
        Column("name", _("name"), link=True),
        Column("code", _("code")),
        Column("campus.name", _("campus")),
        Column("floors", _("floors")),
    ]


class RoomTable(Table):
    columns = [
        Column("name", _("name"), link=True),
        Column("code", _("room number")),
        Column("building.name", _("building")),
        Column("floor", _("floor")),
        Column("kind", _("kind")),
    ]
