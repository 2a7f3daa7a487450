"""Keys of the canteen's rules with numbers (registered in ``CanteenConfig.ready()``, read with
``logistics.tenancy.rules.value(school, key)``)."""

#: grams of each dish kept as a sample (GB 31654-2021; 学校食品安全与营养健康管理规定 2019; some provinces 200 g)
SAMPLE_MIN_GRAMS = "canteen.sample_min_grams"
#: hours a sample is kept before it may be discarded (same sources)
SAMPLE_HOURS = "canteen.sample_hours"
#: hours after a meal's end at which a dish without a sample is reminded to the canteen manager
MISSING_SAMPLE_AFTER_HOURS = "canteen.missing_sample_after_hours"
#: hours after a meal's end at which a still missing sample is escalated to the logistics head
MISSING_SAMPLE_ESCALATE_HOURS = "canteen.missing_sample_escalate_hours"
#: a record entered more than this many hours after the event it describes is marked "late entry"
LATE_ENTRY_HOURS = "canteen.late_entry_hours"
#: hour of the morning at which the samples due for discard are listed to the canteen manager
DISCARD_LIST_HOUR = "canteen.discard_list_hour"
#: days before a supplier licence's expiry at which it is reminded
LICENCE_WARNING_DAYS = "canteen.licence_warning_days"
#: different inspectors a bulk staple (大宗食材) needs before it is accepted (双人或多人联检)
BULK_INSPECTORS = "canteen.bulk_staple_inspectors"
#: months a delivery record is kept past its products' shelf life (食品安全法 art. 50, 53)
RETENTION_MONTHS_AFTER_EXPIRY = "canteen.delivery_retention_months"
#: years a delivery record is kept where the products have no shelf life (食品安全法 art. 50, 53)
RETENTION_YEARS_WITHOUT_EXPIRY = "canteen.delivery_retention_years"
#: a morning-check temperature at or above this (°C) sends the person off duty for the day
FEVER_CELSIUS = "canteen.fever_celsius"
#: days before a health certificate's expiry at which it is reminded
CERTIFICATE_WARNING_DAYS = "canteen.certificate_warning_days"
#: days before the week starts by which its menu is published (菜谱提前一周公布)
MENU_LEAD_DAYS = "canteen.menu_lead_days"
#: the range (°C) of the sample fridge and cold stores; readings outside it form an episode
COLD_MIN_CELSIUS = "canteen.cold_min_celsius"
COLD_MAX_CELSIUS = "canteen.cold_max_celsius"
#: hygiene self-inspections: score (%) from which the grade is A, and B (Houqin defaults)
INSPECTION_GRADE_A = "canteen.inspection_grade_a"
INSPECTION_GRADE_B = "canteen.inspection_grade_b"
#: the weekday (1 = Monday) a weekly checklist is due, the day of the month a monthly one is due
INSPECTION_WEEKDAY = "canteen.inspection_weekday"
INSPECTION_MONTH_DAY = "canteen.inspection_month_day"
#: hour of the due day from which a checklist not yet done is reminded to the canteen manager
INSPECTION_REMIND_HOUR = "canteen.inspection_remind_hour"
#: days a failed item's corrective action is given by default
INSPECTION_FIX_DAYS = "canteen.inspection_fix_days"
#: the twice-a-day cold-chain readings: hours by which the morning and the afternoon reading are due
COLD_MORNING_BY_HOUR = "canteen.cold_morning_by_hour"
COLD_AFTERNOON_BY_HOUR = "canteen.cold_afternoon_by_hour"
#: which meals need a 陪餐 record (学校食品安全与营养健康管理规定 2019, 集中用餐陪餐制度): one yes/no Rule per meal
ACCOMPANY_RULES = {
    "breakfast": "canteen.accompany.breakfast",
    "lunch": "canteen.accompany.lunch",
    "dinner": "canteen.accompany.dinner",
    "snack": "canteen.accompany.snack",
}
#: hour of the next morning at which a served meal without a 陪餐 record is flagged
ACCOMPANY_FLAG_HOUR = "canteen.accompany_flag_hour"
