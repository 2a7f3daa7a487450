"""A recorded repair part can be reversed until the ticket is confirmed (issue 14): a consumable goes back to the
store it came from through assets' ``return_stock``, the part stays, marked with who, when and why, and stops
counting in the ticket's cost. Repairs reaches assets through ``assets.services`` only."""

import ast
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assets.choices import StockMovementKind
from assets.models import ConsumableStock, StockMovement
from logistics.audit.models import ChangeRecord
from logistics.workflow import StepNotAllowed
from repairs import services
from repairs.choices import Cause, TicketStatus, Trade
from repairs.models import PartUsage

from ..assets.factories import make_stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(school, room, people):
    """A ticket in progress with 11 faucets taken from stock by mistake (the worker meant 1)."""
    stock = make_stock(school, quantity=20, name="水龙头", unit="个", unit_price=Decimal("35.00"))
    ticket = services.create_ticket(
        school=school, user=people.teacher, room=room, trade=Trade.PLUMBING, description="水龙头漏水"
    )
    services.assign(ticket, people.head, [people.worker])
    services.start(ticket, people.worker)
    part = services.add_part(ticket, people.worker, "", quantity=11, consumable=stock.consumable)
    ticket.refresh_from_db()
    return ticket, part, stock


def stock_of(stock):
    return ConsumableStock.objects.get(pk=stock.pk).quantity


class TestReversePart:
    def test_stock_goes_back_and_the_part_stays_recorded(self, job, people):
        ticket, part, stock = job
        assert stock_of(stock) == 9 and ticket.parts_cost == Decimal("385.00")
        services.reverse_part(ticket, people.worker, part, "误录为11个，实际用1个")
        assert stock_of(stock) == 20
        part.refresh_from_db()
        ticket.refresh_from_db()
        assert (
            part.is_reversed and part.reversed_by == people.worker and part.reversal_reason == "误录为11个，实际用1个"
        )
        assert ticket.parts_cost == Decimal("0")
        movement = StockMovement.objects.filter(consumable=stock.consumable).order_by("-pk").first()
        assert movement.kind == StockMovementKind.RETURN and movement.quantity == 11
        assert movement.store_id == stock.store_id and movement.source == ticket and ticket.reference in movement.reason
        # recorded: the part's change (who) and the ticket's event
        assert ChangeRecord.objects.filter(object_id=part.pk, content_type__model="partusage", action="update").exists()
        assert ChangeRecord.objects.filter(object_id=ticket.pk, event="ticket.part_reversed").exists()
        # the right part is recorded again and counts
        services.add_part(ticket, people.worker, "", quantity=1, consumable=stock.consumable)
        ticket.refresh_from_db()
        assert ticket.parts_cost == Decimal("35.00") and stock_of(stock) == 19

    def test_only_once_only_this_ticket_with_a_reason(self, job, people, school, room):
        ticket, part, _stock = job
        with pytest.raises(ValidationError):
            services.reverse_part(ticket, people.worker, part, "  ")
        other = services.create_ticket(
            school=school, user=people.teacher, room=room, trade=Trade.PLUMBING, description="x"
        )
        services.assign(other, people.head, [people.worker])
        services.start(other, people.worker)
        with pytest.raises(ValidationError):
            services.reverse_part(other, people.worker, part, "错单")
        services.reverse_part(ticket, people.worker, part, "误录")
        with pytest.raises(ValidationError):
            services.reverse_part(ticket, people.worker, part, "再来一次")
        assert StockMovement.objects.filter(kind=StockMovementKind.RETURN).count() == 1

    def test_not_after_the_ticket_is_confirmed(self, job, people):
        ticket, part, stock = job
        services.complete(ticket, people.worker, Cause.WEAR)
        services.reverse_part(ticket, people.worker, part, "完工后发现录错")  # done: still possible
        second = services.add_part(ticket, people.worker, "生料带", quantity=1, unit="卷", unit_cost="3")
        services.confirm(ticket, people.teacher, rating=5)
        assert ticket.status == TicketStatus.CONFIRMED
        with pytest.raises(StepNotAllowed):
            services.reverse_part(ticket, people.worker, second, "确认后")
        assert not PartUsage.objects.get(pk=second.pk).is_reversed

    def test_free_text_part_changes_no_stock(self, job, people):
        ticket, _part, stock = job
        tape = services.add_part(ticket, people.worker, "生料带", quantity=2, unit="卷", unit_cost="3")
        before = StockMovement.objects.count()
        services.reverse_part(ticket, people.worker, tape, "没用上")
        assert StockMovement.objects.count() == before and stock_of(stock) == 9

    def test_others_may_not(self, job, people):
        from django.core.exceptions import PermissionDenied

        ticket, part, _stock = job
        with pytest.raises(PermissionDenied):
            services.reverse_part(ticket, people.teacher, part, "我想撤销")


class TestReversePartPageAndApi:
    def test_page(self, job, people, login):
        ticket, part, stock = job
        worker, teacher = login(people.worker), login(people.teacher)
        page = worker.get(ticket.get_absolute_url()).content.decode()
        assert 'data-testid="reverse-part-form"' in page
        assert 'data-testid="reverse-part-form"' not in teacher.get(ticket.get_absolute_url()).content.decode()
        url = reverse("repairs:ticket_step", args=[ticket.pk, "reverse-part"])
        # no reason: refused with a Chinese message, nothing changed
        response = worker.post(url, {"reverse_part-part": part.pk, "reverse_part-reason": ""})
        assert response.status_code == 400 and "该字段是必填项" in response.content.decode()
        assert stock_of(stock) == 9
        response = worker.post(url, {"reverse_part-part": part.pk, "reverse_part-reason": "误录为11个"}, follow=True)
        page = response.content.decode()
        assert 'data-testid="part-reversed"' in page and "误录为11个" in page and "已撤销" in page
        assert stock_of(stock) == 20

    def test_api(self, job, people, api, school, room):
        ticket, part, stock = job
        url = f"/api/v1/repairs/tickets/{ticket.pk}/reverse-part/"
        client = api(people.worker)
        assert client.post(url, {"part": part.pk}, format="json").status_code == 400  # reason required
        assert client.post(url, {"part": 999999, "reason": "x"}, format="json").status_code == 400
        response = client.post(url, {"part": part.pk, "reason": "误录"}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["parts_cost"] in ("0.00", "0")
        parts = client.get(f"/api/v1/repairs/tickets/{ticket.pk}/parts/").json()
        assert parts[0]["reversal_reason"] == "误录" and parts[0]["reversed_by"] == people.worker.pk
        again = client.post(url, {"part": part.pk, "reason": "再次"}, format="json")
        assert again.status_code == 400 and stock_of(stock) == 20
        assert api(people.teacher).post(url, {"part": part.pk, "reason": "x"}, format="json").status_code in (403, 404)


def test_repairs_reaches_assets_through_services_only():
    """No repairs module imports ``assets.models`` (or any assets module but ``assets.services``), at any level."""
    root = Path(__file__).resolve().parents[2] / "repairs"
    offenders = []
    for path in root.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module] if node.module != "assets" else [f"assets.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            offenders += [f"{path.name}: {n}" for n in names if n.startswith("assets") and n != "assets.services"]
    assert offenders == []
