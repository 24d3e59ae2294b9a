"""One declaration per ledger (branches/ledgers.py): every ledger's pages and API come from its `Ledger`, a model is
declared once, and a declaration missing a part is refused at start-up."""

import pytest
from django.urls import NoReverseMatch, resolve, reverse

from branches.ledgers import Ledger, LedgerError, declared
from branches.models import Household
from industry.models import IncomeEntry, Problem

APPS = ("branches", "industry", "environment", "governance", "volunteers", "partylife")


def test_every_ledger_serves_its_pages_and_api_from_its_declaration():
    ledgers = declared()
    assert {label.split(".")[0] for label in ledgers} == set(APPS)
    assert len(ledgers) >= 40
    for label, ledger in ledgers.items():
        namespace = ledger.model._meta.app_label
        list_view = resolve(reverse(f"{namespace}:{ledger.url_name()}_list")).func.view_class
        assert list_view.ledger is ledger, label
        detail = resolve(reverse(f"{namespace}:{ledger.url_name()}_detail", args=[1])).func.view_class
        assert detail.ledger is ledger and detail.fields == ledger.fields, label


def test_a_ledger_without_a_delete_service_has_no_delete_page_nor_api_delete():
    problems, incomes = declared()["industry.problem"], declared()["industry.incomeentry"]
    assert problems.delete is None and incomes.delete is not None
    with pytest.raises(NoReverseMatch):
        reverse("industry:problem_delete", args=[1])
    assert reverse("industry:incomeentry_delete", args=[1])
    assert "delete" not in resolve("/api/v1/industry/problems/1/").func.cls.http_method_names
    assert "delete" in resolve("/api/v1/industry/incomes/1/").func.cls.http_method_names


def test_a_model_is_declared_once_and_a_declaration_names_its_parts():
    with pytest.raises(LedgerError, match="declared by"):
        type("SecondIncomeLedger", (Ledger,), {**_parts_of(declared()["industry.incomeentry"]), "model": IncomeEntry})
    with pytest.raises(LedgerError, match="selector"):
        type("HalfLedger", (Ledger,), {"model": Household, "prefix": "x"})
    with pytest.raises(LedgerError, match="api_name"):
        parts = {**_parts_of(declared()["industry.problem"]), "api_name": None}
        type("NoApiNameLedger", (Ledger,), {**parts, "model": Problem})


def _parts_of(ledger):
    return {name: getattr(ledger, name) for name in ("prefix", "selector", "table", "filterset", "form", "serializer",
                                                     "api_name")}  # fmt: skip
