from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from . import display
from .site import site_urls
from .views import dashboard, delegations, downloads, home, public, public_results, task_actions, tasks

portal_patterns = [
    path("tasks/", tasks.tasks, name="tasks"),
    path("tasks/<int:task_pk>/claim/", task_actions.claim, name="task_claim"),
    path("tasks/<int:task_pk>/release/", task_actions.release, name="task_release"),
    path("tasks/<int:task_pk>/reassign/", task_actions.reassign, name="task_reassign"),
    path("tasks/<int:task_pk>/urge/", task_actions.urge, name="task_urge"),
    path("delegations/", delegations.delegations, name="delegations"),
    path("delegations/<int:pk>/revoke/", delegations.revoke, name="delegation_revoke"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("downloads/", downloads.downloads, name="downloads"),
    path("downloads/ledger/<int:org_id>.xlsx", downloads.ledger_xlsx, name="ledger_xlsx"),
    path("downloads/jobs/<int:pk>/", downloads.job_progress, name="job_progress"),
]

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # every user changes their own password (Django's views, the portal's templates under registration/)
    path("password/", auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("password_change_done")),
         name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("", home.home, name="home"),
    path("display/", display.toggle, name="display_toggle"),
    path("public/", public.public_index, name="public_index"),
    path("public/<slug:code>/", public.public_board, name="public_board"),
    path(
        "public/<slug:code>/objection/<int:publicity_id>/<int:declaration_id>/",
        public.public_objection,
        name="public_objection",
    ),
    path("public/<slug:code>/objection/done/<int:objection_id>/", public.public_objection_done,
         name="public_objection_done"),
    path("public/<slug:code>/year-end/<int:evaluation_id>/objection/<int:member_id>/",
         public_results.public_result_objection, name="public_result_objection"),
    path("workflow/", site_urls()),
    path("", include((portal_patterns, "portal"))),
]
