from django.urls import path

from . import seal_views, views

app_name = "documents"

urlpatterns = [
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/retry/", views.retry, name="retry"),
    path("bulk/<int:pk>/progress/", views.bulk_progress, name="bulk_progress"),
    path("bulk/<int:pk>/download/", views.bulk_download, name="bulk_download"),
    path("seal/<slug:code>/", seal_views.seal_page, name="seal"),
    path("seal/image/<int:pk>/", seal_views.seal_image, name="seal_image"),
]
