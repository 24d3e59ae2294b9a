from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render


@login_required
def work_line(request, work_line):
    """The landing page of one work line; its ledgers and monthly figures hang here as their issues land."""
    labels = dict(settings.WORK_LINES)
    if work_line not in labels:
        raise Http404
    return render(request, "reports/work_line.html", {"work_line": work_line, "label": labels[work_line]})
