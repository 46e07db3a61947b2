"""Hooks through which the apps built on campaigns (crowd, providers, reports) add to the
campaign's admin page and counts, so that campaigns never imports them.

Each app appends to these lists in its ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from evalplatform.campaigns.models import Campaign

# campaign -> {"name": count}
COUNTERS: list[Callable[[Campaign], dict[str, int]]] = []
# Django admin actions (functions taking modeladmin, request, queryset) on campaigns.
ADMIN_ACTIONS: list[Callable[..., Any]] = []
# (route, view, name) triples mounted under the campaign admin: the view receives
# (request, campaign_id) and has the admin's permission checks applied.
ADMIN_VIEWS: list[tuple[str, Callable[..., Any], str]] = []
# (label, url name) links shown on a campaign's admin page; the URL takes the campaign id.
ADMIN_LINKS: list[tuple[str, str]] = []
