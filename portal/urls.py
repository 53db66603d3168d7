from django.contrib.auth import views as auth_views
from django.urls import include, path

from .site import site_urls
from .views import dashboard, downloads, home, meeting, member, public, rounds, tasks

portal_patterns = [
    path("tasks/", tasks.tasks, name="tasks"),
    path("me/points/", member.my_points, name="my_points"),
    path("me/declarations/", member.my_declarations, name="my_declarations"),
    path("me/declarations/new/", member.declare, name="declare"),
    path("me/declarations/<int:pk>/", member.declaration_detail, name="declaration_detail"),
    path("me/declarations/<int:pk>/withdraw/", member.withdraw, name="withdraw"),
    path("evidence/<int:pk>/", member.evidence_file, name="evidence"),
    path("rounds/", rounds.round_list, name="rounds"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/meeting/", meeting.branch_meeting, name="branch_meeting"),
    path("rounds/<int:pk>/filing/", rounds.filing, name="filing"),
    path("objections/<int:pk>/answer/", rounds.answer_objection, name="answer_objection"),
    path("objections/<int:pk>/review/", rounds.objection_review, name="objection_review"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("downloads/", downloads.downloads, name="downloads"),
    path("downloads/ledger/<int:org_id>.xlsx", downloads.ledger_xlsx, name="ledger_xlsx"),
    path("downloads/jobs/<int:pk>/", downloads.job_progress, name="job_progress"),
]

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", home.home, name="home"),
    path("public/", public.public_index, name="public_index"),
    path("public/<slug:code>/", public.public_board, name="public_board"),
    path(
        "public/<slug:code>/objection/<int:publicity_id>/<int:declaration_id>/",
        public.public_objection,
        name="public_objection",
    ),
    path("public/<slug:code>/objection/done/<int:objection_id>/", public.public_objection_done,
         name="public_objection_done"),
    path("workflow/", site_urls()),
    path("", include((portal_patterns, "portal"))),
]
