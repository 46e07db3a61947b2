"""Worker URLs, mounted under ``/w/`` by the project's urls.py.

Pages (HTML; the ``a/<token>/`` ones may be framed by MTurk):
    join/                          participant types a code (local provider)
    i/<code>/                      invite: GET shows it, POST leases and redirects
    a/<token>/                     entry: redirects to where the worker was
    a/<token>/welcome/  instructions/  item/<position>/  review/  done/
JSON endpoints (token-authenticated, documented in views/api.py):
    a/<token>/api/state (GET reads; POST takes the HIT over)  api/answer  api/bonus-check
    api/warmup-check
    api/submit  api/leave (POST)
"""

from django.urls import path

from evalplatform.crowd.views import api, invites, pages

app_name = "crowd"

urlpatterns = [
    path("join/", invites.join, name="join"),
    path("i/<str:code>/", invites.invite, name="invite"),
    path("a/<str:token>/", pages.entry, name="entry"),
    path("a/<str:token>/welcome/", pages.welcome, name="welcome"),
    path("a/<str:token>/instructions/", pages.instructions, name="instructions"),
    path("a/<str:token>/item/<int:position>/", pages.item, name="item"),
    path("a/<str:token>/review/", pages.review, name="review"),
    path("a/<str:token>/done/", pages.done, name="done"),
    path("a/<str:token>/api/state", api.state, name="api-state"),
    path("a/<str:token>/api/answer", api.answer, name="api-answer"),
    path("a/<str:token>/api/bonus-check", api.bonus, name="api-bonus"),
    path("a/<str:token>/api/warmup-check", api.warmup, name="api-warmup"),
    path("a/<str:token>/api/submit", api.submit, name="api-submit"),
    path("a/<str:token>/api/leave", api.leave, name="api-leave"),
]
