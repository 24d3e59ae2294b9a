from branches.forms import DateInput, ScopedModelForm

from .models import Returnee


class ReturneeForm(ScopedModelForm):
    class Meta:
        model = Returnee
        fields = ["unit", "name", "skill", "returned_on"]
        widgets = {"returned_on": DateInput()}
