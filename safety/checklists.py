"""The built-in checklists of each kind of equipment (检查项目), used until a school writes its own
(``safety.Checklist``). Sources: GB 50444-2008 § 5.2 (extinguishers: pressure gauge in the green, seal and
pin intact, not blocked, label legible), GB 25201-2010 (building fire installations), the seeds' dormitory
and CCTV sheets."""

from django.utils.translation import gettext_lazy as _

from .choices import EquipmentKind as K

DEFAULTS = {
    K.EXTINGUISHER: [
        _("Pressure gauge needle in the green zone"),
        _("Safety pin and seal intact"),
        _("Hose and nozzle undamaged, not blocked"),
        _("Body without rust, dents or leaks"),
        _("In its place, not blocked, sign visible"),
        _("Within its refill / service date"),
    ],
    K.HYDRANT: [
        _("Cabinet opens, glass and door intact"),
        _("Hose, nozzle and coupling complete"),
        _("Valve opens, water pressure normal"),
        _("Not blocked, sign visible"),
    ],
    K.EMERGENCY_LIGHT: [
        _("Lights up when the mains test button is pressed"),
        _("Battery lasts the test time"),
        _("Fixed firmly, undamaged"),
    ],
    K.EXIT_SIGN: [
        _("Lit and clearly visible"),
        _("Points the right way"),
        _("Exit and escape route not blocked or locked"),
    ],
    K.ALARM: [
        _("Detector test triggers the alarm"),
        _("Control panel shows no fault"),
        _("Manual call point intact"),
    ],
    K.ELECTRICAL: [
        _("No exposed, aged or overheated wires"),
        _("Distribution box closed and labelled"),
        _("Leakage protector trips on test"),
        _("No unauthorised appliances or extension leads"),
    ],
    K.FENCE: [
        _("No gaps, breaks or climbing aids"),
        _("Gates lock"),
        _("Warning signs in place"),
    ],
    K.AED: [
        _("Status indicator shows ready"),
        _("Pads and battery within their dates"),
        _("Cabinet accessible, sign visible"),
    ],
    K.DORMITORY: [
        _("All students present (roll call)"),
        _("No unauthorised electrical appliances"),
        _("Doors, windows and locks in order"),
        _("Escape route and stairs clear"),
        _("Lights and sockets in order"),
    ],
    K.CCTV: [
        _("Picture clear, camera not blocked"),
        _("Recording complete for the last 24 hours"),
        _("Time on the recorder correct"),
        _("Nothing unusual seen on the recording"),
    ],
    K.OTHER: [_("In good order")],
}
