"""The product's URLs, plus the baselines served by the same server."""

from django.urls import path

from benchmarks.answers_site import views
from evalplatform.urls import urlpatterns as product_urlpatterns

urlpatterns = [
    path("bench/trivial", views.trivial, name="bench-trivial"),
    path("bench/insert", views.one_insert, name="bench-insert"),
    *product_urlpatterns,
]
