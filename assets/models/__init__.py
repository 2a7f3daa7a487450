"""Models of the assets app (校产、固定资产、低值易耗品)."""

from .consumables import Consumable, ConsumableStock, IssueRequest, StockMovement
from .damages import DamageRecord
from .imports import AssetImport
from .ledger import Asset, AssetLoan, AssetMovement, Category, ClassroomCheck, DisposalRequest
from .stocktake import StockTake, StockTakeLine

__all__ = [
    "Asset",
    "AssetImport",
    "AssetLoan",
    "AssetMovement",
    "Category",
    "ClassroomCheck",
    "Consumable",
    "ConsumableStock",
    "DamageRecord",
    "DisposalRequest",
    "IssueRequest",
    "StockMovement",
    "StockTake",
    "StockTakeLine",
]
