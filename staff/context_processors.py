from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from staff.access import Permission, can, has_role, roles_of
from staff.models import Role, User


@dataclass(frozen=True)
class MenuArea:
    """A dropdown of the navigation bar, so that a person of several roles gets a short row."""

    label: str | Promise
    icon: str


COUNSELING = MenuArea(pgettext_lazy("menu area", "Counseling"), "bi-folder2-open")
COMPETENCY = MenuArea(pgettext_lazy("menu area", "Competency & training"), "bi-graph-up")
COORDINATION = MenuArea(
    pgettext_lazy("menu area", "Supervision & coordination"), "bi-clipboard-check"
)
ADMINISTRATION = MenuArea(pgettext_lazy("menu area", "Administration"), "bi-gear")
AREAS = [COUNSELING, COMPETENCY, COORDINATION, ADMINISTRATION]


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    url_name: str
    icon: str
    permission: str | None = None
    # Roles offered the item without holding the permission, because the page shows them a part
    # of it (a homeroom teacher sees the own class of the school's roster).
    roles: tuple[str, ...] = ()
    # The dropdown it belongs to; None: a link of its own in the bar.
    area: MenuArea | None = None

    def is_offered_to(self, user: User) -> bool:
        if self.permission is None and not self.roles:
            return True
        if self.permission is not None and can(user, self.permission):
            return True
        return getattr(user, "school_id", None) is not None and has_role(user, *self.roles)


# The whole menu; each person sees the items their roles permit. Features add their items here.
MENU = [
    MenuItem(_("Home"), "home", "bi-house"),
    MenuItem(
        _("Students"),
        "counseling:student_list",
        "bi-person-lines-fill",
        Permission.VIEW_ROSTER,
        roles=(Role.HOMEROOM_TEACHER,),
        area=COUNSELING,
    ),
    MenuItem(
        _("Classes"),
        "counseling:class_list",
        "bi-easel",
        Permission.VIEW_ROSTER,
        roles=(Role.HOMEROOM_TEACHER,),
        area=COUNSELING,
    ),
    MenuItem(
        _("Cases"),
        "counseling:case_list",
        "bi-folder2-open",
        Permission.VIEW_CASES,
        area=COUNSELING,
    ),
    MenuItem(
        _("Collaboration"),
        "counseling:collaboration_list",
        "bi-people-fill",
        Permission.VIEW_CASES,
        area=COUNSELING,
    ),
    # Counselors triage referrals; the principal and the vice principal follow them.
    MenuItem(
        _("Referrals"),
        "counseling:referral_inbox",
        "bi-inbox",
        Permission.VIEW_REFERRALS,
        area=COUNSELING,
    ),
    MenuItem(
        _("My referrals"),
        "counseling:my_referrals",
        "bi-send",
        roles=(Role.HOMEROOM_TEACHER, Role.SUBJECT_TEACHER),
        area=COUNSELING,
    ),
    MenuItem(
        _("Appraisals"),
        "supervision:appraisal_list",
        "bi-clipboard-data",
        Permission.VIEW_APPRAISALS,
        area=COMPETENCY,
    ),
    MenuItem(
        _("Competency"),
        "supervision:competency_overview",
        "bi-graph-up",
        Permission.VIEW_APPRAISALS,
        area=COMPETENCY,
    ),
    MenuItem(
        _("Training"),
        "staff:training_list",
        "bi-mortarboard",
        Permission.VIEW_TRAINING,
        area=COMPETENCY,
    ),
    MenuItem(
        _("Dashboard"),
        "supervision:dashboard",
        "bi-speedometer2",
        Permission.VIEW_DASHBOARD,
        area=COORDINATION,
    ),
    MenuItem(
        _("Meetings"),
        "supervision:calendar",
        "bi-calendar-event",
        Permission.USE_CALENDAR,
        area=COORDINATION,
    ),
    MenuItem(
        _("My action items"),
        "supervision:my_action_items",
        "bi-check2-square",
        Permission.USE_CALENDAR,
        area=COORDINATION,
    ),
    MenuItem(
        _("Supervision"),
        "supervision:visit_list",
        "bi-clipboard-check",
        Permission.VIEW_VISITS,
        area=COORDINATION,
    ),
    MenuItem(
        _("BK room"),
        "supervision:facility_overview",
        "bi-door-open",
        Permission.VIEW_FACILITIES,
        area=COORDINATION,
    ),
    MenuItem(
        _("Exports"),
        "supervision:export_list",
        "bi-download",
        Permission.VIEW_EXPORTS,
        area=ADMINISTRATION,
    ),
    MenuItem(
        _("User accounts"),
        "staff:account_list",
        "bi-people",
        Permission.MANAGE_ACCOUNTS,
        area=ADMINISTRATION,
    ),
    MenuItem(
        _("School years"),
        "staff:school_calendar",
        "bi-calendar-event",
        Permission.VIEW_SCHOOL_CALENDAR,
        area=ADMINISTRATION,
    ),
    MenuItem(
        _("Access log"),
        "staff:access_log",
        "bi-shield-lock",
        Permission.READ_ACCESS_LOG,
        area=ADMINISTRATION,
    ),
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
            "area": item.area,
        }
        for item in MENU
        if item.is_offered_to(user)
    ]
    role_labels = [Role(code).label for code in sorted(roles_of(user)) if code in Role.values]
    return {
        "menu_items": items,
        "menu_groups": _groups(items),
        "user_role_labels": role_labels,
    }


def _groups(items: list[dict]) -> list[dict]:
    """The bar: the links of no area, then a dropdown per area in the order of AREAS. An area
    with one item for this person is a plain link: a dropdown of one is a needless click."""
    groups = [{"items": [item]} for item in items if item["area"] is None]
    for area in AREAS:
        members = [item for item in items if item["area"] is area]
        if len(members) > 1:
            groups.append(
                {
                    "label": area.label,
                    "icon": area.icon,
                    "items": members,
                    "active": any(item["active"] for item in members),
                }
            )
        else:
            groups.extend({"items": [item]} for item in members)
    return groups


def _is_active(path: str, url: str) -> bool:
    return path == url if url == "/" else path.startswith(url)
