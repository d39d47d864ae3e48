"""A council page prints cleanly: no navigation, no relative link addresses, every recommendation
shown and no table clipped (Chromium's print media emulation, at about an A4 page's width)."""


def test_a_council_page_prints_its_content_whole(page, sign_in):
    sign_in(page, "editor")
    page.set_viewport_size({"width": 720, "height": 1000})
    page.goto("/councils/wirral/")
    page.emulate_media(media="print")
    for hidden in (
        "header.app-header",
        ".app-account-bar",
        "footer.govuk-footer",
        ".app-feed",
        ".app-timeline__actions",
    ):
        assert not page.locator(hidden).first.is_visible(), hidden
    # Recommendations sit in closed details on screen; on paper they are all there.
    recommendation = page.locator(".app-timeline .app-recommendation").first
    assert recommendation.is_visible()
    relative_after = page.evaluate(
        """() => [...document.querySelectorAll('main a[href^="/"]')]
                 .map(a => getComputedStyle(a, '::after').content)
                 .filter(c => c && c !== 'none' && c !== 'normal')"""
    )
    assert relative_after == [], "relative link addresses would be printed"
    clipped = page.evaluate(
        """() => [...document.querySelectorAll('.app-table-scroll')]
                 .filter(r => r.scrollWidth > r.clientWidth + 1)
                 .map(r => r.getAttribute('aria-label'))"""
    )
    assert clipped == [], f"tables clipped on paper: {clipped}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 720
    assert len(page.pdf(format="A4")) > 10_000
