"""Keys of the safety app's rules with numbers (declared in SafetyConfig.ready())."""

KEY_AREA_DAILY_PATROLS = "safety.key_area_daily_patrols"
DEVICE_CLOCK_TOLERANCE_MINUTES = "safety.device_clock_tolerance_minutes"
