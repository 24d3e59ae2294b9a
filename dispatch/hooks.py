"""What 任务督办 plugs into (reports/worklines.py's hooks): the events it tells people about."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reports.plugins import NotificationEvent

from . import selectors


def item_url(item):
    return reverse("dispatch:item_detail", args=[item.pk])


def extension_url(extension):
    return item_url(extension.item)


def _village_secretaries(item):
    return selectors.secretaries_of(item.unit)


def _branch_and_issuer(item):
    return [*selectors.secretaries_of(item.unit), *selectors.verifiers_of(item)[:1]]


def _message(text):
    def message(item):
        return text % {"task": item.task.title, "village": item.unit.name, "deadline": f"{item.deadline:%Y-%m-%d}"}

    return message


def _extension_message(extension):
    return _("%(village)s申请“%(task)s”延期至%(until)s：%(reason)s") % {
        "village": extension.item.unit.name, "task": extension.item.task.title,
        "until": f"{extension.until:%Y-%m-%d}", "reason": extension.reason,
    }  # fmt: skip


def _decision_message(extension):
    text = _("“%(task)s”延期至%(until)s的申请已同意。") if extension.state == "granted" else _(
        "“%(task)s”的延期申请未获同意：%(note)s")  # fmt: skip
    return text % {"task": extension.item.task.title, "until": f"{extension.until:%Y-%m-%d}", "note": extension.note}


NOTIFICATION_EVENTS = (
    NotificationEvent("dispatch.issued", _("新任务下达"), _village_secretaries,
                      _message(_("新任务：“%(task)s”，请于%(deadline)s前办结上报。")), url=item_url),
    NotificationEvent("dispatch.reported", _("任务已上报"), selectors.verifiers_of,
                      _message(_("%(village)s已上报“%(task)s”，请核验。")), url=item_url),
    NotificationEvent("dispatch.verified", _("任务已办结"), _village_secretaries,
                      _message(_("“%(task)s”已核验办结。")), url=item_url),
    NotificationEvent("dispatch.returned", _("任务被退回"), _village_secretaries,
                      _message(_("“%(task)s”的上报被退回，请查看原因后重新上报。")), url=item_url),
    NotificationEvent("dispatch.pressed", _("任务催办"), _village_secretaries,
                      _message(_("催办：“%(task)s”尚未上报，时限%(deadline)s。")), url=item_url),
    NotificationEvent("dispatch.yellow", _("任务黄牌预警"), _village_secretaries,
                      _message(_("黄牌：“%(task)s”将于%(deadline)s到期，尚未上报。")), url=item_url),
    NotificationEvent("dispatch.red", _("任务红牌逾期"), _branch_and_issuer,
                      _message(_("红牌：%(village)s“%(task)s”已超过时限%(deadline)s未上报。")), url=item_url),
    NotificationEvent("dispatch.extension_asked", _("任务延期申请"), lambda ext: selectors.verifiers_of(ext.item),
                      _extension_message, url=extension_url),
    NotificationEvent("dispatch.extension_decided", _("延期申请审批"), lambda ext: _village_secretaries(ext.item),
                      _decision_message, url=extension_url),
)  # fmt: skip
