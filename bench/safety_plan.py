"""The shape of the safety benchmark's data (standard library only, imported before Django is set up):
per school and day 6 night rounds of 8 checkpoints and 6 day rounds of 7; every 37th round missed, every
23rd incomplete (two checkpoints short)."""

NIGHT = [(21, 0), (22, 30), (0, 0), (1, 30), (3, 0), (4, 30)]
DAY = [(7, 0), (9, 30), (12, 0), (14, 0), (16, 30), (19, 0)]
NIGHT_STOPS, DAY_STOPS = 8, 7


def scans_of(round_number, stops):
    """Checkpoints scanned in round ``round_number`` (counted per school) of a route of ``stops``."""
    if round_number % 37 == 0:
        return 0
    if round_number % 23 == 0:
        return stops - 2
    return stops


def expected_scans(days):
    """The number of scans the seed writes for ``days`` = [days of school 1, …]."""
    total = 0
    for n_days in days:
        number = 0
        for _day in range(n_days):
            for stops in [NIGHT_STOPS] * len(NIGHT) + [DAY_STOPS] * len(DAY):
                number += 1
                total += scans_of(number, stops)
    return total
