"""Keys of the safety app's rules with numbers (declared in SafetyConfig.ready())."""

KEY_AREA_DAILY_PATROLS = "safety.key_area_daily_patrols"
DEVICE_CLOCK_TOLERANCE_MINUTES = "safety.device_clock_tolerance_minutes"
GATE_RETENTION_DAYS = "safety.gate_retention_days"
LESSON_HOURS = (
    "safety.lessons.morning_start",
    "safety.lessons.morning_end",
    "safety.lessons.afternoon_start",
    "safety.lessons.afternoon_end",
)
EQUIPMENT_INSPECTION_DAYS = "safety.equipment_inspection_days"
DORMITORY_CHECK_DAYS = "safety.dormitory_check_days"
CCTV_REVIEW_DAYS = "safety.cctv_review_days"
EXPIRY_WARNING_DAYS = "safety.equipment_expiry_warning_days"
DRILLS_PER_TERM = "safety.drills_per_term"
