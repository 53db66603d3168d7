from django.urls import path

from . import views

app_name = "appraisals"

urlpatterns = [
    path("", views.evaluation_list, name="list"),
    path("<int:pk>/", views.evaluation_detail, name="detail"),
]
