from branches.closing import set_reason

from ..models import Meeting

# --- meetings (三会一课, 主题党日, 组织生活会) ------------------------------------------------------------------------


class AttendanceThroughService:
    """meetings/: a create or update passes its `attendance` rows to meeting_save, which records them with the
    meeting in one transaction (nothing saved if any row is refused)."""

    def _save(self, serializer, instance):
        data = dict(serializer.validated_data)
        attendance = data.pop("attendance", None)
        for name, value in data.items():
            setattr(instance, name, value)
        set_reason(instance, self.change_reason())
        serializer.instance = type(self).save_service(user=self.request.user, instance=instance, attendance=attendance)

    def perform_create(self, serializer):
        self._save(serializer, Meeting())

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)


# (end of meetings)

# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------
# (end of dues, 民主评议, 发展党员, 换届)

# --- 党员先锋积分 ---------------------------------------------------------------------------------------------------
# (end of points)
