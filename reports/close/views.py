"""The year close page: the closed years (关账) of the towns one may see; an admin closes a town's year here."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.generic_views import add_errors
from branches.scoping import is_admin

from .. import periods
from . import selectors, services


class YearCloseForm(forms.Form):
    town = forms.ModelChoiceField(label=gettext_lazy("镇"), queryset=None)
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100)
    reason = forms.CharField(label=gettext_lazy("说明"), required=False, max_length=200,
                             widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = selectors.closable_towns(user)
        self.fields["year"].initial = periods.current_month().year - 1
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select" if isinstance(field.widget, forms.Select)
                                          else "form-control")  # fmt: skip


@login_required
def year_close(request):
    """Everyone sees which years are closed; only an admin closes one."""
    admin = is_admin(request.user)
    if request.method == "POST" and not admin:
        raise PermissionDenied(_("只有系统管理员可以关账。"))
    form = YearCloseForm(request.POST or None, user=request.user) if admin else None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                closed = services.year_close(user=request.user, town=data["town"], year=data["year"],
                                             reason=data["reason"])  # fmt: skip
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("已关账：%(closed)s") % {"closed": closed})
                return redirect("reports:year_close")
        status = 400
    context = {"form": form, "closed_years": selectors.closed_years(request.user)}
    return render(request, "reports/year_close.html", context, status=status)
