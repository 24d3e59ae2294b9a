from django.db import models
from simple_history.models import HistoricalRecords

from branches.models import UnitScopedModel


class Returnee(UnitScopedModel):
    """A villager who came home to work or start a business (返乡人才)."""

    name = models.CharField("姓名", max_length=50)
    skill = models.CharField("特长", max_length=100, blank=True)
    returned_on = models.DateField("返乡日期")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "返乡人才"
        verbose_name_plural = "返乡人才"
        ordering = ["unit__path", "-returned_on"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("fifth_line:returnee_detail", args=[self.pk])
