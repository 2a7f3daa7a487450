from .plans import DutySlot, MaintenancePlan
from .tickets import PartUsage, Ticket, WorkLog

__all__ = ["DutySlot", "MaintenancePlan", "PartUsage", "Ticket", "WorkLog"]
