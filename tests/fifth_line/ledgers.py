from branches.ledgers import Ledger

from . import filtersets, forms, selectors, services, tables
from .api import serializers
from .models import Returnee


class ReturneeLedger(Ledger):
    model = Returnee
    prefix = "talent/returnees"
    selector = selectors.returnee_list
    table = tables.ReturneeTable
    filterset = filtersets.ReturneeFilterSet
    form = forms.ReturneeForm
    save = services.returnee_save
    fields = ("unit", "name", "skill", "returned_on")
    serializer = serializers.ReturneeSerializer
    api_name = "returnees"


LEDGERS = (ReturneeLedger,)
