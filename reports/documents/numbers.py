"""The 文号 as printed (one rule): 井发〔2026〕12号, 井通报〔2026〕1号, a 简报's 第12期."""

from django.utils.translation import gettext as _

from ..models import IssuedDocument

Kind = IssuedDocument.Kind


def reference_text(unit, kind, year, number=None):
    """The 文号 as printed: 井发〔2026〕12号 (the unit's 代字, the kind's word, the year, the number); a 简报's
    第12期. A draft's (no `number`) leaves the number blank, for the one who issues it."""
    if kind == Kind.JIANBAO:
        return _("第%(number)s期") % {"number": number or "　　"}
    return f"{unit.doc_prefix}{Kind(kind).label}〔{year}〕{number or '　'}号"
