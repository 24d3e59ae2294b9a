"""The ledgers of 支部建设, each one declarative `Ledger` (branches/ledgers.py): its pages, API and routes."""

from branches.ledgers import Ledger  # noqa: F401

# --- meetings (三会一课, 主题党日, 组织生活会) ------------------------------------------------------------------------
MEETING_LEDGERS = ()
# (end of meetings)

# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------
ROLL_LEDGERS = ()
# (end of dues, 民主评议, 发展党员, 换届)

# --- 党员先锋积分 ---------------------------------------------------------------------------------------------------
POINT_LEDGERS = ()
# (end of points)

LEDGERS = (*MEETING_LEDGERS, *ROLL_LEDGERS, *POINT_LEDGERS)
