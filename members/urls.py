from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.index, name="index"),
    path("me/", views.me, name="me"),
    path("org/<int:org_id>/", views.organisation_members, name="organisation"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("import/", views.roster_import, name="import"),
    path("export/<int:org_id>.<str:fmt>", views.roster_export, name="export"),
    path("template.<str:fmt>", views.roster_template, name="template"),
]
