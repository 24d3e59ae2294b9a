from branches.filtersets import SearchFilterSet, UnderUnitFilter, VillageFilter, date_range

from .models import Returnee


class ReturneeFilterSet(SearchFilterSet):
    search_fields = ("name", "skill")
    village = VillageFilter()
    under = UnderUnitFilter()
    returned_after, returned_before = date_range("returned_on")

    class Meta:
        model = Returnee
        fields = []
