from django.urls import path

from branches.generic_views import ledger_urls

from . import views

app_name = "industry"

urlpatterns = [
    path("industry/my-enterprises/", views.my_enterprises, name="my_enterprises"),
    path("industry/economy/<int:unit_id>/", views.economy, name="economy"),
    path("industry/xiaobo/", views.xiaobo, name="xiaobo"),
    path("industry/visits/add/", views.visit_add, name="servicevisit_add"),
    path("industry/enterprises/<int:pk>/assign/", views.enterprise_assign, name="enterprise_assign"),
    path("industry/problems/<int:pk>/status/", views.problem_status, name="problem_status"),
    *ledger_urls("industry/enterprises", "enterprise", views.EnterpriseListView, views.EnterpriseDetailView,
                 views.EnterpriseEditView),
    *ledger_urls("industry/visits", "servicevisit", views.ServiceVisitListView, views.ServiceVisitDetailView,
                 views.ServiceVisitEditView),
    *ledger_urls("industry/problems", "problem", views.ProblemListView, views.ProblemDetailView,
                 views.ProblemEditView),
    *ledger_urls("industry/incomes", "incomeentry", views.IncomeEntryListView, views.IncomeEntryDetailView,
                 views.IncomeEntryEditView, views.IncomeEntryDeleteView),
    *ledger_urls("industry/projects", "featuredproject", views.FeaturedProjectListView,
                 views.FeaturedProjectDetailView, views.FeaturedProjectEditView),
    *ledger_urls("industry/sales", "salesrecord", views.SalesRecordListView, views.SalesRecordDetailView,
                 views.SalesRecordEditView, views.SalesRecordDeleteView),
]  # fmt: skip
