from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from staff.access import Permission, can, roles_of
from staff.models import Role


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    url_name: str
    icon: str
    permission: str | None = None


# The whole menu; each person sees the items their roles permit. Features add their items here.
MENU = [
    MenuItem(_("Home"), "home", "bi-house"),
    MenuItem(_("User accounts"), "staff:account_list", "bi-people", Permission.MANAGE_ACCOUNTS),
    MenuItem(_("Access log"), "staff:access_log", "bi-shield-lock", Permission.READ_ACCESS_LOG),
]


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "icon": item.icon,
            "active": _is_active(request.path, reverse(item.url_name)),
        }
        for item in MENU
        if item.permission is None or can(user, item.permission)
    ]
    role_labels = [Role(code).label for code in sorted(roles_of(user)) if code in Role.values]
    return {"menu_items": items, "user_role_labels": role_labels}


def _is_active(path: str, url: str) -> bool:
    return path == url if url == "/" else path.startswith(url)
