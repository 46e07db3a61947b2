from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "evalplatform.campaigns"
    label = "campaigns"
    verbose_name = "Datasets, systems and campaigns"
