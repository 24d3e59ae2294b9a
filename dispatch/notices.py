"""The 督办通知 of a town task, declared to the reporting core as a document (reports.plugins.DocumentKind): the core
lays it out in its one GB/T 9704 layout, with the town's 版头 and 文号, the title and the 落款; this writes the
parts in between — whom it is sent to, what to do, by when, what to report. Written as the reader may see the task:
a secretary's copy is addressed to his own village only (the items he may see)."""

from django.utils.translation import gettext as _

from reports.plugins import DocumentKind

from . import selectors

CODE = "task_notice"


def notice_title(task):
    return _("关于%(title)s的督办通知") % {"title": task.title.removeprefix("关于").removesuffix("的通知")}


def chinese_day(day):
    return f"{day.year}年{day.month}月{day.day}日"


def addressed_to(task, user):
    """The villages the notice is addressed to, as `user` may see them (his own only, for a secretary)."""
    items = selectors.item_list(user).filter(task=task).order_by("unit__path")
    return [item.unit.name for item in items]


def write_notice(document, task, user):
    villages = addressed_to(task, user)
    document.addressee("、".join(villages) if villages else (task.targets or _("各村（社区）党组织")))
    document.paragraph(_("为推动“一切工作到支部”落地落实，现将“%(title)s”任务交办你单位，请按以下要求抓好落实。")
                       % {"title": task.title})  # fmt: skip
    document.heading(_("一、任务内容"), level=1)
    for line in [line.strip() for line in (task.description or "").splitlines() if line.strip()] or [task.title]:
        document.paragraph(line)
    document.heading(_("二、办结时限"), level=1)
    when = {"deadline": chinese_day(task.deadline), "days": task.near_days}
    document.paragraph(_("请于%(deadline)s前办结并上报。距时限不足%(days)s天仍未上报的亮黄牌，逾期未上报的亮红牌，"
                         "纳入月度通报。") % when)  # fmt: skip
    document.heading(_("三、报送要求"), level=1)
    asks = []
    if task.needs_text:
        asks.append(_("办理情况的文字说明"))
    if task.needs_photo:
        asks.append(_("现场照片"))
    asks += [str(measure) for measure in task.measures.all()]
    if asks:
        document.paragraph(_("通过“一切工作到支部”平台报送：%(asks)s。") % {"asks": "；".join(asks)})
    if task.needs_verify:
        document.paragraph(_("上报后由联村干部核验，核验通过方为办结。"))


NOTICE = DocumentKind(
    code=CODE, label=_("督办通知"), kind="duban", write=write_notice, title=notice_title, unit=lambda task: task.unit,
)  # fmt: skip
