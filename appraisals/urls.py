from django.urls import path

from . import screens, views

app_name = "appraisals"

urlpatterns = [
    path("", views.evaluation_list, name="list"),
    path("open/", screens.open_evaluation, name="open"),
    path("mine/", screens.my_results, name="mine"),
    path("<int:pk>/", views.evaluation_detail, name="detail"),
    path("<int:pk>/appraisal/", screens.appraisal_sheet, name="sheet"),
    path("<int:pk>/appraisal/import/", screens.appraisal_import, name="import"),
]
