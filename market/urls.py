"""The points supermarket's screens: catalogue, counter, household page and code, receipts, bars,
year end, reports and the grid worker's recording page."""
from django.urls import path

from .views import counter, grid, village

app_name = "market"

urlpatterns = [
    path("", village.index, name="index"),
    path("goods/<int:pk>/", village.goods_detail, name="goods"),
    path("counter/", counter.counter, name="counter"),
    path("h/<str:code>/", counter.household, name="household"),
    path("h/<str:code>/redeem/", counter.redeem, name="redeem"),
    path("h/<str:code>/qr.png", counter.household_qr, name="household_qr"),
    path("households/<int:pk>/code/", counter.household_code_card, name="code_card"),
    path("households/<int:pk>/card/", counter.issue_card, name="issue_card"),
    path("redemptions/<int:pk>/", counter.receipt, name="receipt"),
    path("bars/", village.bars, name="bars"),
    path("bars/<int:pk>/lift/", village.lift_bar, name="lift_bar"),
    path("year-end/", village.year_end, name="year_end"),
    path("reports/", village.reports, name="reports"),
    path("reports.xlsx", village.reports_xlsx, name="reports_xlsx"),
    path("record/", grid.record, name="record"),
    path("record/batch/", grid.record_batch, name="record_batch"),
]
