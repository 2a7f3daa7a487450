"""Data versions (``logistics.tenancy.versions``): every recorded write of a school's rows moves that
school's version of the model — saves, deletes, bulk writes, recorded updates, relations, events — and
nothing else's; a lost version never reads as one it had before; off without a shared cache."""

import pytest
from django.core.cache import cache
from django.db import transaction

from logistics.audit.recorder import record_bulk_create, record_event, recorded_update
from logistics.tenancy import versions
from logistics.tenancy.models import Room

from ..factories import RoomFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def on(settings):
    settings.KEPT_BY_VERSION = True


def version(label, school):
    return versions.versions([label], [school.pk])


def room_of(school, **fields):
    return RoomFactory(school=school, building__school=school, building__campus__school=school, **fields)


class TestMoved:
    def test_a_save_and_a_delete_move_the_schools_version_only(self, on, school, other_school):
        room = room_of(school)
        mine, theirs = version("tenancy.room", school), version("tenancy.room", other_school)
        assert version("tenancy.room", school) == mine  # read again: the same
        room.name = "三楼会议室"
        room.save()
        moved = version("tenancy.room", school)
        assert moved != mine
        assert version("tenancy.room", other_school) == theirs
        assert version("tenancy.building", school) == version("tenancy.building", school)
        room.delete()
        assert version("tenancy.room", school) != moved

    def test_bulk_writes_recorded_updates_and_events_move_it(self, on, school):
        room = room_of(school)
        before = version("tenancy.room", school)
        recorded_update(Room.objects.filter(pk=room.pk), name="器材室")
        after_update = version("tenancy.room", school)
        assert after_update != before
        made = Room.objects.bulk_create([Room(school=school, building=room.building, name="新教室")])
        record_bulk_create(made)
        after_bulk = version("tenancy.room", school)
        assert after_bulk != after_update
        record_event(room, "room.checked", "查看过")
        assert version("tenancy.room", school) != after_bulk

    def test_a_relation_moves_the_related_rows(self, on, school, make_user):
        from logistics.accounts.roles import Role
        from tests.repairs.factories import TicketFactory, room_in

        ticket = TicketFactory(school=school, room=room_in(school))
        worker = make_user(Role.REPAIR_WORKER, school, trades="plumbing")
        before = version("repairs.ticket", school)
        ticket.assignees.add(worker)  # from the ticket's side: its school
        forward = version("repairs.ticket", school)
        assert forward != before
        worker.repair_jobs.remove(ticket)  # from the user's side: the school is not known — every school's
        assert version("repairs.ticket", school) != forward

    def test_one_bump_at_the_commit_and_a_read_inside_sees_its_own_writes(self, on, school):
        room = room_of(school)

        def pending():
            return [f for _s, f, _r in transaction.get_connection().run_on_commit if isinstance(f, versions._OnCommit)]

        with transaction.atomic():
            before = version("tenancy.room", school)
            room.name = "图书室"
            room.save()
            registered = pending()
            room.name = "阅览室"
            room.save()
            assert pending() == registered  # one bump at the commit for the transaction's writes, not one each
            assert any(("tenancy.room", school.pk) in bump.pairs for bump in registered)
            inside = version("tenancy.room", school)
            assert inside != before  # the transaction's own read sees its writes
            assert version("tenancy.room", school) == inside  # bumped once for that read, not again
            for bump in registered:
                bump()  # what the commit runs (the test's own transaction never commits)
        assert version("tenancy.room", school) != inside

    def test_a_lost_version_is_never_read_as_an_earlier_one(self, on, school):
        seen = {version("tenancy.room", school)}
        for _ in range(3):
            cache.delete(f"data-version:tenancy.room:{school.pk}")
            again = version("tenancy.room", school)
            assert again not in seen
            seen.add(again)

    def test_off_with_the_in_process_cache(self, settings, school):
        assert settings.KEPT_BY_VERSION is False  # the tests' cache is in-process: off by default
        assert not versions.enabled()
        room = room_of(school)
        before = version("tenancy.room", school)
        room.save()
        assert version("tenancy.room", school) == before  # nothing bumped: nothing kept by versions either


class TestWatched:
    def test_a_row_rule_is_kept_only_with_what_it_reads_declared(self, school, make_user):
        from finance.models import Charge
        from logistics.accounts.roles import Role
        from repairs.models import Ticket

        parent, officer = make_user(Role.PARENT, school), make_user(Role.FINANCE_OFFICER, school)
        assert versions.watched_labels(officer, Charge, "view", [school.pk]) == {"finance.charge"}
        assert versions.watched_labels(parent, Charge, "view", [school.pk]) == {"finance.charge", "people.guardianlink"}
        worker = make_user(Role.REPAIR_WORKER, school)
        assert "tenancy.membership" in versions.watched_labels(worker, Ticket, "view", [school.pk])

    def test_an_undeclared_row_rule_is_not_kept(self, school, make_user, monkeypatch):
        from finance.models import Charge
        from logistics.accounts.roles import Role

        monkeypatch.setattr(Charge, "scope_watch", {})
        assert versions.watched_labels(make_user(Role.PARENT, school), Charge, "view", [school.pk]) is None
