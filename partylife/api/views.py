"""The API's own behaviour beyond the derived viewsets (partylife/ledgers.py)."""

from branches.closing import set_reason

from .. import services
from ..models import Applicant

# --- meetings (三会一课, 主题党日, 组织生活会) ------------------------------------------------------------------------
# (end of meetings)

# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------

class ApplicantWrites:
    """An applicant's introducers go to services.applicant_save with the row: they are part of its checks."""

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        introducers = data.pop("introducers", [])
        instance = Applicant(**data)
        set_reason(instance, self.change_reason())
        serializer.instance = services.applicant_save(user=self.request.user, instance=instance,
                                                      introducers=introducers)  # fmt: skip

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        introducers = data.pop("introducers", None)
        for name, value in data.items():
            setattr(serializer.instance, name, value)
        set_reason(serializer.instance, self.change_reason())
        serializer.instance = services.applicant_save(user=self.request.user, instance=serializer.instance,
                                                      introducers=introducers)  # fmt: skip


# (end of dues, 民主评议, 发展党员, 换届)

# --- 党员先锋积分 ---------------------------------------------------------------------------------------------------
# (end of points)
