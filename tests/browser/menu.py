"""Following the navigation bar, whose pages sit in a dropdown per area."""


def open_from_menu(page, area: str, link: str) -> None:
    """Open the area's dropdown and follow one of its links."""
    navigation = page.get_by_role("navigation")
    navigation.get_by_role("button", name=area, exact=True).click()
    navigation.get_by_role("link", name=link, exact=True).click()
