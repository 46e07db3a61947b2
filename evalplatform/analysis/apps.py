from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    """Statistics only: no models, no ORM; registered so that Django finds its tests."""

    name = "evalplatform.analysis"
    label = "analysis"
    verbose_name = "Analysis"
