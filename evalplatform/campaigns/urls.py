from rest_framework.routers import DefaultRouter

from evalplatform.campaigns.apis import CampaignViewSet, DatasetViewSet, SystemViewSet

router = DefaultRouter()
router.register("datasets", DatasetViewSet, basename="dataset")
router.register("systems", SystemViewSet, basename="system")
router.register("campaigns", CampaignViewSet, basename="campaign")

urlpatterns = router.urls
