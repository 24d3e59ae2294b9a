from reports.plugins import DERIVED, ENTERED, FLOW, IndicatorSpec, count, in_month, month_rows

from .models import Returnee

ROWS = month_rows("fifth_line:returnee_list", "returned_after", "returned_before")


def returnees(unit, month):
    return count(in_month(Returnee.objects.all(), unit, month, field="returned_on"))


INDICATORS = (
    IndicatorSpec(code="talent.returnees", name="返乡人才", unit="人", work_line="talent", kind=FLOW, source=DERIVED,
                  derive=returnees, rows_url=ROWS, order=10),
    IndicatorSpec(code="talent.trainings", name="技能培训", unit="场", work_line="talent", kind=FLOW, source=ENTERED,
                  order=20),
)  # fmt: skip

PAGES = (("返乡人才", "fifth_line:returnee_list"),)
