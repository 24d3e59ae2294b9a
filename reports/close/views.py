"""The year close page: the closed years (关账) of the towns one may see; an admin closes a town's year here."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
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


class YearReopenForm(forms.Form):
    reopen = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    reason = forms.CharField(label=gettext_lazy("重新开账原因"), max_length=100,
                             error_messages={"required": gettext_lazy("重新开账须填写原因。")})  # fmt: skip


@login_required
def year_close(request):
    """Everyone sees which years are closed (and the log of closes and reopenings); only an admin closes one, or
    reopens one with a reason."""
    admin = is_admin(request.user)
    if request.method == "POST" and not admin:
        raise PermissionDenied(_("只有系统管理员可以关账。"))
    if request.method == "POST" and "reopen" in request.POST:
        return _reopen(request)
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
    return _page(request, form, status=status)


def _reopen(request):
    reopen = YearReopenForm(request.POST)
    if reopen.is_valid():
        closed = get_object_or_404(selectors.closed_years(request.user), pk=reopen.cleaned_data["reopen"])
        try:
            services.year_reopen(user=request.user, closed_year=closed, reason=reopen.cleaned_data["reason"])
        except ValidationError as error:
            add_errors(reopen, error)
        else:
            messages.success(request, _("已重新开账：%(town)s %(year)s年") % {"town": closed.unit, "year": closed.year})
            return redirect("reports:year_close")
    form = YearCloseForm(user=request.user)
    return _page(request, form, reopen=reopen, status=400)


def _page(request, form, reopen=None, status=200):
    context = {"form": form, "closed_years": selectors.closed_years(request.user), "reopen_form": reopen,
               "log": selectors.year_close_log(request.user), "can_reopen": is_admin(request.user)}  # fmt: skip
    return render(request, "reports/year_close.html", context, status=status)
