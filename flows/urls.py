"""URLs of the review chain's task pages, the public board and evidence downloads.

Include with ``path("", include("flows.urls"))`` next to ``path("", include("reviews.urls"))``
(the public board and evidence downloads, namespace ``reviews``).
"""
from django.urls import path

from . import views

app_name = "flows"

urlpatterns = [
    path("review/round/<int:process_pk>/branch-meeting/", views.branch_meeting_task, name="branch_meeting"),
    path("review/round/<int:process_pk>/higher-review/", views.higher_review_task, name="higher_review"),
    path("review/objection/<int:process_pk>/answer/", views.answer_objection_task, name="answer"),
    path("review/objection/<int:process_pk>/explanation/", views.file_explanation_task, name="file_explanation"),
    path("review/objection/<int:process_pk>/supervise/", views.supervise_overdue_task, name="supervise_overdue"),
    path("board/item/<int:declaration_pk>/object/", views.lodge_objection_page, name="lodge_objection"),
]
