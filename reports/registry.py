"""The indicator registry.

Each work-line app declares its indicators in its own `indicators.py` and hands them to its `WorkLine`
(reports/lines.py), which registers them here; reports never names a work-line app. A derived indicator brings its
own `derive(unit, month)` (the figure's ledger rows and aggregate, a `reports.derive.Measure`, which reports counts
together with the report's other figures) and `rows_url(unit, month)` (the page listing the rows behind it), so
adding one is a change local to its app."""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

FLOW, STOCK, RATIO = "flow", "stock", "ratio"
ENTERED, DERIVED = "entered", "derived"
KINDS = {FLOW: "流量（按月累加）", STOCK: "存量（取期末）", RATIO: "比率（由分子分母计算）"}
SOURCES = {ENTERED: "填报", DERIVED: "台账自动生成"}
VILLAGE, TOWN = "village", "town"


@dataclass(frozen=True)
class Balance:
    """This month's value = last month's value + the sum of `plus` − the sum of `minus` (codes in the same report)."""

    plus: tuple = ()
    minus: tuple = ()


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    unit: str
    work_line: str
    kind: str
    source: str
    min_value: Decimal | None = Decimal(0)
    max_value: Decimal | None = None
    decimals: int = 0
    target: Decimal | None = None
    target_note: str = ""
    ceiling: str | None = None
    balance: Balance | None = None
    numerator: str | None = None
    denominator: str | None = None
    # A ratio is numerator × scale / denominator: 100 makes it a percentage (a rate, judged against the rate
    # thresholds); 1 a plain quotient (points per member), judged like any other figure.
    scale: int = 100
    reported_by: tuple = (VILLAGE, TOWN)
    # The dashboard colours a figure by last year's (more is better); a count that only follows what happened —
    # hazards found, disputes handled, households — is shown with its change but not judged (False).
    judged_by_last_year: bool = True
    # The outlier check (reports/checks.py) compares a flow's month with the unit's usual month. A flow whose rhythm
    # is longer than a month — a meeting held once a quarter or once a year — is 0 in most months and 1 in the
    # others, so that comparison says nothing about it (whether the rhythm is kept is its own line's check): False.
    outlier_checked: bool = True
    derive: Callable | None = field(default=None, compare=False)
    # For a derive() that is not a Measure (a figure worked out in Python), the same figures for many months at
    # once: `derive_months(unit, months)` → {month: figure}. A bulk load (the demo) asks it instead of each month.
    derive_months: Callable | None = field(default=None, compare=False)
    rows_url: Callable | None = field(default=None, compare=False)
    help_text: str = ""
    order: int = 0

    def __reduce__(self):
        # A spec carries functions (derive, rows_url) that may not pickle; a cached page (reports/cache.py) stores
        # the code and finds the registered spec again.
        return (registered_spec, (self.code,))

    @property
    def is_entered(self):
        return self.source == ENTERED

    @property
    def is_ratio(self):
        return self.kind == RATIO


class RegistryError(ValueError):
    pass


class Registry:
    def __init__(self, work_lines=()):
        self._specs = {}
        self.work_lines = set(work_lines)  # the declared lines' codes (reports/worklines.py adds each as declared)

    def register(self, *specs):
        for spec in specs:
            self._validate(spec)
            self._specs[spec.code] = spec
        return specs

    def unregister(self, *codes):
        for code in codes:
            self._specs.pop(code, None)

    def _validate(self, spec):
        if spec.work_line not in self.work_lines:
            raise RegistryError(f"{spec.code}: unknown work line {spec.work_line!r}")
        if spec.kind not in KINDS or spec.source not in SOURCES:
            raise RegistryError(f"{spec.code}: kind must be one of {list(KINDS)}, source one of {list(SOURCES)}")
        if spec.kind == RATIO and not (spec.numerator and spec.denominator):
            raise RegistryError(f"{spec.code}: a ratio needs a numerator and a denominator")
        if spec.target is not None and spec.kind != FLOW:
            # The pace rule (reports/targets.py) reads a target as a year's total, reached month by month.
            raise RegistryError(f"{spec.code}: only a flow may have a yearly target")
        if spec.source == DERIVED and spec.kind != RATIO and spec.derive is None:
            raise RegistryError(f"{spec.code}: a derived indicator needs derive(unit, month)")
        existing = self._specs.get(spec.code)
        if existing is not None and existing != spec:
            raise RegistryError(f"{spec.code}: declared twice with different meanings")

    def get(self, code):
        return self._specs[code]

    def __contains__(self, code):
        return code in self._specs

    def all(self):
        return sorted(self._specs.values(), key=lambda spec: (spec.work_line, spec.order, spec.code))

    def for_work_line(self, work_line):
        return [spec for spec in self.all() if spec.work_line == work_line]

    def stored(self, work_line):
        """The indicators a monthly report stores a value for (ratios are computed from their parts)."""
        return [spec for spec in self.for_work_line(work_line) if not spec.is_ratio]


registry = Registry()
register = registry.register


def registered_spec(code):
    return registry.get(code)
