from .gate import GateGoods, VehicleEntry, Visitor
from .hazards import Hazard, HazardTicket
from .patrols import Checkpoint, PatrolRound, PatrolScan, PatrolSchedule, Route, RouteStop

__all__ = [
    "Checkpoint",
    "GateGoods",
    "Hazard",
    "HazardTicket",
    "PatrolRound",
    "PatrolScan",
    "PatrolSchedule",
    "Route",
    "RouteStop",
    "VehicleEntry",
    "Visitor",
]
