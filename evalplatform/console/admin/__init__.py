"""The researcher's admin: the catalog (datasets, dialogues, systems) and the campaigns,
with their actions and pages. Importing the modules registers their ModelAdmins."""

from evalplatform.console.admin import campaigns, catalog

__all__ = ["campaigns", "catalog"]
