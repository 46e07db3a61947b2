"""Worker-facing entry points of the providers, mounted under /p/ by the project urls."""

from __future__ import annotations

from django.urls import path

from evalplatform.providers.mturk.views import mturk_task
from evalplatform.providers.prolific.views import prolific_start

app_name = "providers"

urlpatterns = [
    # MTurk's ExternalQuestion URL: MTurk appends assignmentId, hitId, workerId, turkSubmitTo.
    path("mturk/task/<int:campaign_id>/", mturk_task, name="mturk-task"),
    # Prolific's external study URL: carries PROLIFIC_PID, STUDY_ID and SESSION_ID.
    path("prolific/start/<int:campaign_id>/", prolific_start, name="prolific-start"),
]
