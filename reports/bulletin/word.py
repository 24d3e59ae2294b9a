"""The monthly 通报 as a 公文 (reports/documents/layout.py): the 版头 of the town's issuing body with the 文号, the
title, the text around the ranking, the ranking as a table in its colours with the reasons, the 红榜 and 黑榜, the
落款. It is written from the rows as the reader's page shows them (selectors.bulletin_rows): a village secretary's
copy withholds other villages' parts and reasons as his page does. Nothing is scored again here."""

from django.utils.translation import gettext as _

from .. import periods, targets
from ..documents.layout import OfficialDocument, issuer_name
from ..documents.numbers import Kind, reference_text
from ..models import BulletinRow
from .selectors import PART_LABELS, WEIGHTS

Colour = BulletinRow.Colour

# The table's row colours, the page's and the Excel's (excel.FILLS).
FILLS = {Colour.GREEN.value: "D1E7DD", Colour.YELLOW.value: "FFF3CD", Colour.RED.value: "F8D7DA"}
WITHHELD = "—"


def bulletin_title(bulletin):
    return _("关于%(town)s%(y)s年%(m)s月“一切工作到支部”工作情况的通报") % {
        "town": bulletin.unit.name, "y": bulletin.month.year, "m": bulletin.month.month,
    }  # fmt: skip


def bulletin_document(bulletin, rows, *, day, reference=None):
    """The 通报 of `bulletin` with `rows` (selectors.bulletin_rows for the reader), dated `day`; `reference` its 文号
    once issued (a draft's is left blank)."""
    town = bulletin.unit
    document = OfficialDocument()
    document.head(mark=_("%(issuer)s文件") % {"issuer": issuer_name(town)},
                  number=reference or reference_text(town, Kind.TONGBAO, day.year))  # fmt: skip
    document.title(bulletin_title(bulletin))
    document.addressee(_("各村（社区）党组织，镇直各单位"))
    rule = "、".join(f"{PART_LABELS[name]}{weight}分" for name, weight in WEIGHTS.items())
    deadline = periods.deadline_for(bulletin.month)
    document.paragraph(_(
        "为推动“一切工作到支部”落地落实，镇党委按月对各村（社区）工作情况进行综合评价。现将%(y)s年%(m)s月评价情况通报如下。"
    ) % {"y": bulletin.month.year, "m": bulletin.month.month})  # fmt: skip
    document.heading(_("一、评价办法"), level=1)
    document.paragraph(_("满分100分：%(rule)s。月报截止%(deadline)s，按%(as_of)s的情况评价。%(pace)s") % {
        "rule": rule, "deadline": f"{deadline.month}月{deadline.day}日",
        "as_of": f"{bulletin.as_of.year}年{bulletin.as_of.month}月{bulletin.as_of.day}日",
        "pace": targets.note(bulletin.month),
    })  # fmt: skip
    document.heading(_("二、综合排名"), level=1)
    parts_header = [str(label) for label in PART_LABELS.values()]
    header = [_("名次"), _("村（社区）"), _("得分"), _("等次"), *parts_header, _("原因")]
    table = []
    for view in rows:
        row = view.row
        parts = [str(view.parts[name]["score"]) if name in view.parts else (_("不适用") if view.detailed else WITHHELD)
                 for name in PART_LABELS]  # fmt: skip
        reasons = "；".join(item["text"] for item in view.reasons) if view.detailed else WITHHELD
        table.append([row.rank, row.unit.name, row.score, row.get_colour_display(), *parts, reasons or _("无")])
    document.table(header, table, fills=[FILLS[view.row.colour] for view in rows])
    document.heading(_("三、红榜和黑榜"), level=1)
    for label, colour in ((_("红榜（绿色等次）"), Colour.GREEN), (_("黑榜（红色等次）"), Colour.RED)):
        names = [view.row.unit.name for view in rows if view.row.colour == colour]
        document.paragraph(f"{label}：{'、'.join(names) if names else _('无')}。")
    document.heading(_("四、工作要求"), level=1)
    document.paragraph(_(
        "列入黑榜的村（社区）要对照原因逐项整改，按时报送月报、推进目标进度、办结逾期事项，整改情况于下月报送时一并说明；"
        "各村（社区）要比学赶超，切实把各项工作落到支部。"
    ))  # fmt: skip
    document.signature(issuer_name(town), day)
    return document
