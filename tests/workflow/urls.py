from django.urls import include, path

from flows.flows import ReviewRoundFlow

urlpatterns = [
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("flows.urls")),
    path("", include("reviews.urls")),
    # The branch meeting node's view as viewflow's frontend mounts it (wrapped with the
    # activation, the owner check and the flow lock).
    path("wf/<int:process_pk>/branch_meeting/<int:task_pk>/execute/",
         ReviewRoundFlow.branch_meeting.view_path.callback, name="wf_branch_meeting"),
]
