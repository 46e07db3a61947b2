"""The permissions the console asks for, and the wrapper every custom admin view goes
through.

Preparing a campaign (``change_campaign``) and spending money on it are separate: publishing
and expiring on the paid provider, deciding on submitted work and paying bonuses each need
their own permission (``Campaign.Meta.permissions``), so a researcher can be trusted with
the first without the second.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any

from django.contrib.admin import AdminSite
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

VIEW = "campaigns.view_campaign"
ADD = "campaigns.add_campaign"
CHANGE = "campaigns.change_campaign"
PUBLISH = "campaigns.publish_campaign"
APPROVE = "campaigns.approve_work"
PAY = "campaigns.pay_bonuses"
ADD_DATASET = "campaigns.add_dataset"
CHANGE_SYSTEM = "campaigns.change_system"

# A permission, or a function of the request naming one (a page whose POST does several
# things, each with its own permission).
Need = str | Callable[[HttpRequest], str]
View = Callable[..., HttpResponse]


def guarded(site: AdminSite, view: View, needs: Mapping[str, Need]) -> View:
    """``view`` behind the admin's login and CSRF checks, answering only the HTTP methods
    in ``needs`` (405 otherwise; HEAD as GET), each only to users holding its permission
    (403 otherwise, before the view runs)."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        method = "GET" if request.method == "HEAD" else str(request.method)
        need = needs.get(method)
        if need is None:
            return HttpResponseNotAllowed(sorted(needs))
        permission = need(request) if callable(need) else need
        if not request.user.has_perm(permission):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return site.admin_view(checked)
