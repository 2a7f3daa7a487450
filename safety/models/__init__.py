from .drills import SafetyEvent
from .gate import GateGoods, VehicleEntry, Visitor
from .hazards import Hazard, HazardTicket
from .inspections import Checklist, Equipment, Inspection, InspectionItem
from .passes import DutyLeader, LeavePass
from .patrols import Checkpoint, PatrolRound, PatrolScan, PatrolSchedule, Route, RouteStop

__all__ = [
    "Checklist",
    "Equipment",
    "Inspection",
    "InspectionItem",
    "SafetyEvent",
    "Checkpoint",
    "DutyLeader",
    "GateGoods",
    "Hazard",
    "HazardTicket",
    "LeavePass",
    "PatrolRound",
    "PatrolScan",
    "PatrolSchedule",
    "Route",
    "RouteStop",
    "VehicleEntry",
    "Visitor",
]
