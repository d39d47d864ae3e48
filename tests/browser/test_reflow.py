"""Reflow (WCAG 1.4.10): at 320 px and up no page scrolls sideways; wide tables scroll inside their
own focusable, labelled region instead, for every page and every role."""

import pytest

WIDTHS = (320, 375, 1024, 1280)


@pytest.mark.parametrize("role", ["viewer", "analyst", "editor", "admin"])
def test_no_page_scrolls_sideways_at_any_width(page, sign_in, role_pages, role):
    sign_in(page, role)
    too_wide = []
    for path in role_pages[role]:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(path)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                too_wide.append(f"{path} at {width}px: {scroll_width}px wide")
    assert not too_wide, "\n".join(too_wide)


def test_wide_tables_scroll_in_a_focusable_labelled_region(page, sign_in):
    sign_in(page, "viewer")
    page.set_viewport_size({"width": 320, "height": 900})
    for path in ("/", "/councils/", "/councils/wirral/", "/regions/north-west/"):
        page.goto(path)
        for table in page.locator("main table").all():
            if not table.is_visible():
                continue
            region = table.locator("xpath=ancestor::div[contains(@class, 'app-table-scroll')][1]")
            assert region.count() == 1, f"{path}: a table outside a scroll region"
            assert region.get_attribute("tabindex") == "0" and region.get_attribute("role") == "region"
            assert region.get_attribute("aria-label"), f"{path}: a scroll region without a label"
