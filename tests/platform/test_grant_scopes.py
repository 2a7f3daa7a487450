"""``grant()`` keeps every row rule given to a role for one permission: a later, different narrow grant
adds to the earlier one instead of replacing it (the canteen manager's corrective actions, the guard's
leave passes were each losing one), and ``all`` still wins."""

import pytest

from logistics.accounts import roles
from logistics.accounts.roles import ALL, Role


@pytest.fixture
def saved_grants():
    saved = {role: dict(perms) for role, perms in roles._grants.items()}
    yield
    roles._grants.clear()
    roles._grants.update(saved)


def test_two_row_rules_add_up_and_all_wins(saved_grants):
    roles.grant(Role.TEACHER, "repairs.fly_ticket", scope="own")
    roles.grant(Role.TEACHER, "repairs.fly_ticket", scope="class")
    roles.grant(Role.TEACHER, "repairs.fly_ticket", scope="own")
    assert roles.scope_of(Role.TEACHER, "repairs.fly_ticket") == "own|class"
    roles.grant(Role.TEACHER, "repairs.fly_ticket", scope=ALL)
    roles.grant(Role.TEACHER, "repairs.fly_ticket", scope="own")
    assert roles.scope_of(Role.TEACHER, "repairs.fly_ticket") == ALL


def test_the_apps_grants_that_used_to_replace_each_other_hold_both():
    assert set(roles.scope_of(Role.CANTEEN_MANAGER, "corrective.view_correctiveaction").split("|")) == {
        "involved",
        "origins:canteen",
    }
    assert set(roles.scope_of(Role.GUARD, "safety.view_leavepass").split("|")) == {"staff", "gate"}


@pytest.mark.django_db
def test_a_canteen_manager_sees_a_safety_action_they_own_and_the_canteens(school, make_user):
    """Involved in a safety hazard (its owner) and every canteen-origin action: both visible."""
    from logistics.corrective.models import CorrectiveAction
    from logistics.corrective.services import open_action

    manager = make_user(Role.CANTEEN_MANAGER, school)
    head = make_user(Role.LOGISTICS_HEAD, school)
    canteen = open_action(school=school, origin="canteen.cold_chain", title="冷库超温", actor=head)
    safety = open_action(school=school, origin="safety.hazard", title="配电箱门损坏", actor=head)
    other = open_action(school=school, origin="safety.hazard", title="围墙破损", actor=head)
    CorrectiveAction.objects.filter(pk=safety.pk).update(owner=manager)
    seen = set(CorrectiveAction.objects.restrict(manager, "view").values_list("pk", flat=True))
    assert seen == {canteen.pk, safety.pk}
    assert other.pk not in seen
