import django_tables2 as tables

from .models import Returnee


class ReturneeTable(tables.Table):
    name = tables.Column(linkify=("fifth_line:returnee_detail", [tables.A("pk")]))

    class Meta:
        model = Returnee
        fields = ("unit", "name", "skill", "returned_on")
