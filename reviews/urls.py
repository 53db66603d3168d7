from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("board/round/<int:pk>/", views.board, name="board"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence"),
]
