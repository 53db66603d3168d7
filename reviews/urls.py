"""The review chain's screens: declaring, rounds, the branch meeting, filing, objections."""
from django.urls import path

from .views import deadlines, declarations, meeting, recording, rounds, withdraw

app_name = "reviews"

urlpatterns = [
    path("me/points/", declarations.my_points, name="my_points"),
    path("me/declarations/", declarations.my_declarations, name="my_declarations"),
    path("me/declarations/new/", declarations.declare, name="declare"),
    path("me/declarations/<int:pk>/", declarations.declaration_detail, name="declaration_detail"),
    path("me/declarations/<int:pk>/withdraw/", declarations.withdraw, name="withdraw_declaration"),
    path("evidence/<int:pk>/", declarations.evidence_file, name="evidence"),
    path("record/", recording.record, name="record"),
    path("record/batch/", recording.record_batch, name="record_batch"),
    path("record/template.xlsx", recording.record_template, name="record_template"),
    path("rounds/", rounds.round_list, name="rounds"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/meeting/", meeting.branch_meeting, name="branch_meeting"),
    path("rounds/<int:pk>/filing/", rounds.filing, name="filing"),
    path("rounds/<int:pk>/withdraw/", withdraw.withdraw, name="withdraw_round"),
    path("objections/<int:pk>/answer/", rounds.answer_objection, name="answer_objection"),
    path("objections/<int:pk>/review/", rounds.objection_review, name="objection_review"),
    path("objections/<int:pk>/remind/", deadlines.remind_objection, name="remind_objection"),
]
