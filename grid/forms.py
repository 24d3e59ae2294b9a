"""The forms of grid events: the report from the phone, and the village's answers (accept, escalate, close)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from branches.forms import bootstrap_widgets
from branches.models import Unit

from . import selectors
from .models import GridEvent


class Styled:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_widgets(self)


class EventReportForm(forms.ModelForm):
    """事件上报. A grid worker's own grid is his without asking; a secretary picks one of his village's grids."""

    unit = forms.ModelChoiceField(label=_("网格"), queryset=Unit.objects.none())

    class Meta:
        model = GridEvent
        fields = ["unit", "kind", "description", "place", "household", "latitude", "longitude"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4, "placeholder": _("发生了什么、涉及哪些人、现在情况如何")}),
            "latitude": forms.HiddenInput(),
            "longitude": forms.HiddenInput(),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        grids = selectors.report_units(user)
        self.fields["unit"].queryset = grids
        if len(grids) == 1:
            self.fields["unit"].initial = grids[0].pk
            self.fields["unit"].widget = forms.HiddenInput()
        self.fields["household"].queryset = selectors.households_for(user)
        self.fields["household"].required = False
        self.fields["household"].empty_label = _("（不涉及具体农户）")
        bootstrap_widgets(self)


class AcceptForm(Styled, forms.Form):
    """受理: the register the event goes into (its reported kind unless the village re-classifies it). What that
    register asks for comes from the line's own form (`EventSink.form`), shown beside this one."""

    register = forms.ChoiceField(label=_("转入台账"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["register"].choices = [(kind, sink.label) for kind, sink in selectors.sink_kinds().items()]


def sink_form(kind, data=None):
    """The work line's form of what its register asks on acceptance (None if it asks nothing), prefixed by kind so
    each register's fields can sit in one page."""
    sink = selectors.sink_kinds().get(kind)
    if sink is None or sink.form is None:
        return None
    return bootstrap_widgets(sink.form(data=data, prefix=kind))  # a line's own form may bring no classes


class EscalateForm(Styled, forms.Form):
    to = forms.ChoiceField(label=_("上报至"), choices=GridEvent.To.choices)
    note = forms.CharField(label=_("上报原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(Styled, forms.Form):
    result = forms.CharField(label=_("处理结果"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


