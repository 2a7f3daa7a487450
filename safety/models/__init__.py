from .hazards import Hazard, HazardTicket
from .patrols import Checkpoint, PatrolRound, PatrolScan, PatrolSchedule, Route, RouteStop

__all__ = [
    "Checkpoint",
    "Hazard",
    "HazardTicket",
    "PatrolRound",
    "PatrolScan",
    "PatrolSchedule",
    "Route",
    "RouteStop",
]
