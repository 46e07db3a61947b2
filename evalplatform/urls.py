from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from evalplatform.common.views import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("evalplatform.console.urls")),
    path("p/", include("evalplatform.providers.urls")),
    path("w/", include("evalplatform.crowd.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("healthz", healthz, name="healthz"),
]
