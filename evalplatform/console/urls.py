"""The API's routes: the campaigns app's viewsets, the campaign one as the console extends
it (console.apis)."""

from rest_framework.routers import DefaultRouter

from evalplatform.campaigns.apis import DatasetViewSet, SystemViewSet
from evalplatform.console.apis import ConsoleCampaignViewSet

router = DefaultRouter()
router.register("datasets", DatasetViewSet, basename="dataset")
router.register("systems", SystemViewSet, basename="system")
router.register("campaigns", ConsoleCampaignViewSet, basename="campaign")

urlpatterns = router.urls
