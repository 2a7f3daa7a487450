from .gate import GateGoods, VehicleEntry, Visitor
from .hazards import Hazard, HazardTicket
from .passes import DutyLeader, LeavePass
from .patrols import Checkpoint, PatrolRound, PatrolScan, PatrolSchedule, Route, RouteStop

__all__ = [
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
