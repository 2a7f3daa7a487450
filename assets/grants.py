"""Who may do what with assets (registered in ``AssetsConfig.ready()``) and the menu entries.

- logistics head, staff and principal: everything of their school; the head approves stock-takes
  and (first) disposals, the principal approves disposals (条例 art. 19);
- teachers: their own custody and their classroom's list ("custody"), issue requests ("own");
- finance officers: values and depreciation, damage payments;
- parents: damage records of their own child ("children");
- district officers: the figures on the district dashboard.
"""

from django.utils.translation import gettext_lazy as _

from logistics.accounts.roles import STAFF_ROLES, Role, grant, model_perms
from logistics.ui import nav

MODELS = [
    "assets.asset",
    "assets.category",
    "assets.assetmovement",
    "assets.assetloan",
    "assets.disposalrequest",
    "assets.classroomcheck",
    "assets.consumable",
    "assets.consumablestock",
    "assets.stockmovement",
    "assets.issuerequest",
    "assets.stocktake",
    "assets.stocktakeline",
    "assets.damagerecord",
    "assets.assetimport",
]
MANAGEMENT = [Role.PRINCIPAL, Role.LOGISTICS_HEAD, Role.LOGISTICS_STAFF]
LOGISTICS = [Role.LOGISTICS_HEAD, Role.LOGISTICS_STAFF]


def register():
    for model in MODELS:
        grant(MANAGEMENT, model_perms(model, ("view",)))
    grant(MANAGEMENT + [Role.FINANCE_OFFICER], "assets.view_value_asset")
    grant(
        LOGISTICS,
        [
            *model_perms("assets.asset", ("add", "change")),
            "assets.transfer_asset",
            "assets.lend_asset",
            "assets.report_lost_asset",
            "assets.request_disposal_asset",
            "assets.repair_asset",
            "assets.write_off_asset",
            *model_perms("assets.category", ("add", "change", "delete")),
            *model_perms("assets.consumable", ("add", "change")),
            "assets.receive_consumable",
            "assets.approve_issuerequest",
            *model_perms("assets.stocktake", ("add", "change")),
            "assets.scan_stocktake",
            *model_perms("assets.damagerecord", ("add", "change", "delete")),
            "assets.record_payment_damagerecord",
            *model_perms("assets.assetimport", ("add", "change")),
            "assets.write_off_disposalrequest",
            "assets.add_classroomcheck",
        ],
    )
    grant(Role.LOGISTICS_HEAD, ["assets.approve_head_disposalrequest", "assets.approve_stocktake"])
    grant(Role.PRINCIPAL, ["assets.approve_principal_disposalrequest"])
    # either approver may refuse a disposal (条例 art. 19)
    grant([Role.LOGISTICS_HEAD, Role.PRINCIPAL], ["assets.reject_disposalrequest"])
    # finance sees values and depreciation, and takes damage payments
    grant(
        Role.FINANCE_OFFICER,
        [
            *(f"{m.split('.')[0]}.view_{m.split('.')[1]}" for m in MODELS if not m.endswith("assetimport")),
            "assets.record_payment_damagerecord",
        ],
    )
    # teachers: their custody and their classroom; repair workers see assets they repair
    grant(
        Role.TEACHER,
        [
            "assets.view_asset",
            "assets.view_assetmovement",
            "assets.view_assetloan",
            "assets.view_classroomcheck",
            "assets.add_classroomcheck",
            "assets.view_damagerecord",
        ],
        scope="custody",
    )
    grant(Role.REPAIR_WORKER, ["assets.view_asset", "assets.view_category"])
    # every member of staff may ask for consumables (领用申请) and see their own requests
    grant(list(STAFF_ROLES), "assets.view_consumable", scope="catalogue")
    grant(list(STAFF_ROLES), ["assets.view_issuerequest", "assets.add_issuerequest"], scope="own")
    grant(Role.PARENT, "assets.view_damagerecord", scope="children")

    group = _("Assets")
    for label, url, perm, order in (
        (_("Asset ledger"), "assets:asset_list", "assets.view_asset", 30),
        (_("Classroom inventory"), "assets:classroom_list", "assets.view_classroomcheck", 31),
        (_("Stock-takes"), "assets:stocktake_list", "assets.view_stocktake", 32),
        (_("Consumables"), "assets:consumable_list", "assets.view_consumable", 33),
        (_("Issue requests"), "assets:issuerequest_list", "assets.view_issuerequest", 34),
        (_("Loans"), "assets:assetloan_list", "assets.view_assetloan", 35),
        (_("Disposals"), "assets:disposalrequest_list", "assets.view_disposalrequest", 36),
        (_("Damage compensation"), "assets:damagerecord_list", "assets.view_damagerecord", 37),
        (_("Ledger by category"), "assets:ledger", "assets.view_value_asset", 38),
        (_("Asset categories"), "assets:category_list", "assets.view_category", 39),
        (_("Ledger import"), "assets:assetimport_list", "assets.add_assetimport", 39),
    ):
        nav.register(nav.NavItem(label, url, perm, group=group, order=order))
