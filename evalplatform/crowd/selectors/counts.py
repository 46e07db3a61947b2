"""Counts of crowd work shown on the campaign admin page."""

from __future__ import annotations

from evalplatform.campaigns.models import Campaign
from evalplatform.crowd.models import Assignment, AssignmentStatus, Hit, Judgment


def campaign_crowd_counts(campaign: Campaign) -> dict[str, int]:
    assignments = Assignment.objects.filter(hit__campaign=campaign)
    return {
        "hits": Hit.objects.filter(campaign=campaign).count(),
        "assignments_in_progress": assignments.filter(status=AssignmentStatus.LEASED).count(),
        "assignments_submitted": assignments.exclude(
            status__in=[
                AssignmentStatus.LEASED,
                AssignmentStatus.EXPIRED,
                AssignmentStatus.RETURNED,
            ]
        ).count(),
        "judgments": Judgment.objects.filter(assignment__hit__campaign=campaign).count(),
    }
