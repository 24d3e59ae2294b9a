"""Indicators of 支部建设 (party.*), all derived from the ledgers, and the work line's pages."""

# --- meetings (三会一课, 主题党日, 组织生活会) ------------------------------------------------------------------------
MEETING_INDICATORS = ()
MEETING_PAGES = ()
# (end of meetings)

# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------
ROLL_INDICATORS = ()
ROLL_PAGES = ()
# (end of dues, 民主评议, 发展党员, 换届)

# --- 党员先锋积分 ---------------------------------------------------------------------------------------------------
POINT_INDICATORS = ()
POINT_PAGES = ()
# (end of points)

INDICATORS = (*MEETING_INDICATORS, *ROLL_INDICATORS, *POINT_INDICATORS)
PAGES = (*MEETING_PAGES, *ROLL_PAGES, *POINT_PAGES)
