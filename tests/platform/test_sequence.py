import threading

import pytest
from django.db import connection

from logistics.tenancy.models import Sequence


class TestSequence:
    def test_numbers_per_school_and_key(self, school, other_school):
        assert [Sequence.next_value(school, "REP-2026") for _ in range(3)] == [1, 2, 3]
        assert Sequence.next_value(other_school, "REP-2026") == 1
        assert Sequence.next_value(school, "AST") == 1
        assert str(Sequence.objects.get(school=school, key="REP-2026")) == "REP-2026: 3"


@pytest.mark.django_db(transaction=True)
class TestSequenceConcurrency:
    def test_concurrent_takers_never_share_a_number(self):
        from ..factories import SchoolFactory

        school = SchoolFactory()
        taken, errors = [], []

        def take():
            try:
                for _ in range(10):
                    taken.append(Sequence.next_value(school, "X"))
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=take) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors
        assert sorted(taken) == list(range(1, 41))
