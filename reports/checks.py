"""Checks on monthly figures: what a value may be (bounds, decimals), what a report must satisfy before submit
(complete, ceilings, month-to-month balance), and what a reviewer should look at twice (outliers)."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from statistics import median

from django.utils.translation import gettext as _

from .registry import FLOW

OUTLIER_HISTORY_MONTHS = 12
OUTLIER_MIN_HISTORY = 3
OUTLIER_FACTOR = 3


@dataclass
class Problem:
    code: str
    message: str


def display(number):
    """A figure as a person writes it: no trailing zeros, no exponent."""
    if number is None:
        return "—"
    text = format(Decimal(number).normalize(), "f")
    return text


def clean_value(spec, raw):
    """Turn what was typed into a Decimal (or None for blank), or raise ValueError with a Chinese reason."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValueError(_("“%(name)s”必须是数字。") % {"name": spec.name})
    try:
        text = str(raw).strip().replace(",", "").replace("，", "")
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValueError(_("“%(name)s”必须是数字，收到的是“%(raw)s”。") % {"name": spec.name, "raw": raw}) from None
    if not value.is_finite():
        raise ValueError(_("“%(name)s”必须是数字。") % {"name": spec.name})
    if spec.min_value is not None and value < spec.min_value:
        raise ValueError(_("“%(name)s”不能小于 %(min)s。") % {"name": spec.name, "min": display(spec.min_value)})
    if spec.max_value is not None and value > spec.max_value:
        raise ValueError(
            _("“%(name)s”不能大于 %(max)s %(unit)s，请核对。")
            % {"name": spec.name, "max": display(spec.max_value), "unit": spec.unit}
        )
    if -value.as_tuple().exponent > spec.decimals and value != value.quantize(Decimal(1).scaleb(-spec.decimals)):
        if spec.decimals == 0:
            raise ValueError(_("“%(name)s”必须是整数。") % {"name": spec.name})
        raise ValueError(_("“%(name)s”最多保留 %(n)s 位小数。") % {"name": spec.name, "n": spec.decimals})
    return value


def completeness_problems(specs, values):
    return [
        Problem(spec.code, _("“%(name)s”还没有填写（没有发生请填 0）。") % {"name": spec.name})
        for spec in specs
        if spec.is_entered and values.get(spec.code) is None
    ]


def ceiling_problems(specs, values):
    problems = []
    names = {spec.code: spec.name for spec in specs}
    for spec in specs:
        value, ceiling = values.get(spec.code), values.get(spec.ceiling) if spec.ceiling else None
        if value is not None and ceiling is not None and value > ceiling:
            problems.append(
                Problem(
                    spec.code,
                    _("“%(name)s”（%(value)s）不能超过“%(ceiling)s”（%(limit)s）。")
                    % {
                        "name": spec.name,
                        "value": display(value),
                        "ceiling": names.get(spec.ceiling, spec.ceiling),
                        "limit": display(ceiling),
                    },
                )
            )
    return problems


@dataclass
class BalanceBreak:
    """One balance that does not hold: last month's approved figure, this month's additions and subtractions (each
    (name, value)), what that gives and what this month's figure is."""

    code: str
    name: str
    previous: Decimal
    plus: list
    minus: list
    expected: Decimal
    value: Decimal

    @property
    def equation(self):
        """“安全隐患在办数：上月已审核 5 + 本月新增 2 − 本月办结 1 = 6，本月为 7”."""
        text = _("%(name)s：上月已审核 %(last)s") % {"name": self.name, "last": display(self.previous)}
        for sign, terms, word in (("+", self.plus, _("本月新增")), ("−", self.minus, _("本月办结"))):
            for name, value in terms:
                text += f" {sign} {word if len(terms) == 1 else name} {display(value)}"
        return text + _(" = %(expected)s，本月为 %(value)s") % {
            "expected": display(self.expected),
            "value": display(self.value),
        }


def balance_breaks(specs, values, previous):
    """Open this month = last month's approved open + new − closed, for indicators that declare such a balance:
    the ones that do not hold. `previous` is last month's approved {code: value}; without it there is nothing to
    balance against."""
    names = {spec.code: spec.name for spec in specs}
    breaks = []
    for spec in specs:
        if spec.balance is None or values.get(spec.code) is None or previous.get(spec.code) is None:
            continue
        plus = [(names.get(code, code), Decimal(values.get(code) or 0)) for code in spec.balance.plus]
        minus = [(names.get(code, code), Decimal(values.get(code) or 0)) for code in spec.balance.minus]
        expected = Decimal(previous[spec.code]) + sum(value for _n, value in plus) - sum(value for _n, value in minus)
        if values[spec.code] != expected:
            breaks.append(BalanceBreak(spec.code, spec.name, previous[spec.code], plus, minus, expected,
                                       values[spec.code]))  # fmt: skip
    return breaks


def balance_problems(specs, values, previous, explanation=""):
    """The balance breaks as problems that block submitting — unless the secretary has explained them, when the
    reviewer sees them beside the explanation instead (problems() turns them into flags)."""
    if (explanation or "").strip():
        return []
    return [
        Problem(
            item.code,
            _("%(equation)s。请核对台账；确有原因的，请在“不平衡说明”中写明后再提交。") % {"equation": item.equation},
        )
        for item in balance_breaks(specs, values, previous)
    ]


def outlier_flag(spec, value, history):
    """A note for the reviewer when a flow is far above this unit's usual month (never blocks submitting)."""
    if not spec.outlier_checked or spec.kind != FLOW or value is None or len(history) < OUTLIER_MIN_HISTORY:
        return ""
    usual = median(history)
    if usual > 0 and value > OUTLIER_FACTOR * usual:
        return _("明显高于本单位近 %(n)s 个月的常见水平（中位数 %(usual)s），请核实。") % {
            "n": len(history),
            "usual": display(usual),
        }
    if usual > 0 and value == 0:
        return _("本月为 0，而本单位近期中位数为 %(usual)s，请核实。") % {"usual": display(usual)}
    return ""


def problems(specs, values, previous, history, explanation=""):
    """(errors, flags) of a report's figures: errors block submitting, flags are shown to the reviewer (outliers, and
    balance breaks the secretary explained). `previous` is last month's APPROVED {code: value} (the balance's
    baseline), `history` the approved {code: [values]} of the months before, `explanation` the report's 不平衡说明.
    The one rule for the submit page, the API, the Excel import and bulk loads alike."""
    errors = completeness_problems(specs, values)
    for spec in specs:
        if spec.is_entered and values.get(spec.code) is not None:
            try:
                clean_value(spec, values[spec.code])
            except ValueError as error:
                errors.append(Problem(spec.code, str(error)))
    errors += ceiling_problems(specs, values)
    errors += balance_problems(specs, values, previous, explanation)
    flags = {spec.code: outlier_flag(spec, values.get(spec.code), history.get(spec.code, [])) for spec in specs}
    if (explanation or "").strip():
        for item in balance_breaks(specs, values, previous):
            flags[item.code] = _("不平衡：%(equation)s") % {"equation": item.equation}
    return errors, {code: flag for code, flag in flags.items() if flag}
