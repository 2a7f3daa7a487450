from .figures import MonthFigures
from .plans import DutySlot, MaintenancePlan
from .tickets import PartUsage, Ticket, WorkLog

__all__ = ["DutySlot", "MaintenancePlan", "MonthFigures", "PartUsage", "Ticket", "WorkLog"]
