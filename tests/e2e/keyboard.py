"""Keyboard-only driving and the checks axe cannot make: visible focus and announced errors.

A keyboard-only test moves with Tab / Shift+Tab and acts with Enter, Space, arrows and typing;
locators are used only to read the page (is this the element that has focus?), never to click.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from playwright.sync_api import Locator, Page

MIN_FOCUS_CONTRAST = 3.0
MIN_FOCUS_WIDTH_PX = 2.0

# Reads the focused element's indicator: its outline (or, failing that, its box-shadow) colour
# and width, the colour behind it (the nearest ancestor with a background, since the ring sits
# outside the element) and the element's own background; returns contrast ratios (WCAG 2.x).
_FOCUS_INDICATOR_JS = """
() => {
  const element = document.activeElement;
  if (!element || element === document.body) { return null; }
  const parse = (value) => {
    const match = value && value.match(/rgba?\\(([^)]+)\\)/);
    if (!match) { return null; }
    const parts = match[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  };
  const luminance = (c) => {
    const channel = (v) => { v = v / 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const backgroundOf = (node) => {
    for (let current = node; current && current.nodeType === 1; current = current.parentElement) {
      const colour = parse(getComputedStyle(current).backgroundColor);
      if (colour && colour.a > 0.5) { return colour; }
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const style = getComputedStyle(element);
  const name = (element.getAttribute("aria-label") || element.innerText || element.value ||
                element.id || element.tagName).trim().slice(0, 60);
  const description = element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") + " “" + name + "”";
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
    ? parse(style.outlineColor) : null;
  const shadow = style.boxShadow && style.boxShadow !== "none" ? parse(style.boxShadow) : null;
  const ring = outline || shadow;
  if (!ring || ring.a === 0) { return { description, width: 0, behind: 0, component: 0, colours: "none" }; }
  let width = parseFloat(style.outlineWidth);
  if (!outline) {
    const lengths = style.boxShadow.match(/(-?[\\d.]+)px/g) || [];
    width = lengths.length >= 4 ? parseFloat(lengths[3]) : 0;
  }
  const behind = backgroundOf(element.parentElement);
  const own = backgroundOf(element);
  // A two-tone indicator (a light halo inside a dark ring) meets 3:1 against the element
  // through whichever of its colours touches it.
  const component = Math.max(ratio(ring, own), shadow && outline ? ratio(shadow, own) : 0);
  const css = (c) => `rgb(${c.r},${c.g},${c.b})`;
  return {
    description,
    width,
    behind: ratio(ring, behind),
    component,
    colours: `ring ${css(ring)}${shadow && outline ? ", halo " + css(shadow) : ""}, behind ${css(behind)}, element ${css(own)}`,
  };
}
"""

_IS_FOCUSED_JS = "element => element === document.activeElement"


@dataclass
class KeyboardUser:
    """Drives a page with the keyboard only and counts the keys pressed."""

    page: Page
    presses: int = 0
    weak_focus: list[str] = field(default_factory=list)

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.presses += 1

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.presses += len(text)

    def is_focused(self, locator: Locator) -> bool:
        return locator.count() > 0 and locator.first.evaluate(_IS_FOCUSED_JS)

    def tab_to(self, locator: Locator, *, limit: int = 80, backwards: bool = False) -> int:
        """Press Tab (or Shift+Tab) until ``locator`` has focus, checking every focus ring on
        the way; returns how many presses it took."""
        key = "Shift+Tab" if backwards else "Tab"
        for count in range(1, limit + 1):
            self.press(key)
            self.check_focus_indicator()
            if self.is_focused(locator):
                return count
        raise AssertionError(f"{locator} was not reached with {limit} presses of {key}")

    def skip_to_main(self) -> None:
        """What a keyboard user does on a page they know: the first Tab reaches the skip link,
        Enter moves focus to the main content."""
        self.press("Tab")
        focused = self.page.evaluate(
            "() => document.activeElement.textContent.trim() || document.activeElement.outerHTML.slice(0, 120)"
        )
        assert focused == "Skip to main content", f"the first Tab reached {focused!r}"
        self.check_focus_indicator()
        self.press("Enter")

    def choose_file(self, locator: Locator, path: os.PathLike[str] | str) -> None:
        """Tab to a file field and choose ``path``. The chooser itself is the operating
        system's dialog, outside the page; Chromium opens it for Space only with fresh user
        activation, which made pressing Space flaky on a loaded machine. What the portal owns
        is that the field is reachable by Tab, visibly focused and labelled, so that is what is
        checked before the file is set on the focused field."""
        self.tab_to(locator)
        assert locator.evaluate("element => element.type") == "file"
        locator.set_input_files(str(path))

    def fill(self, locator: Locator, text: str) -> None:
        self.tab_to(locator)
        self.press("Control+A")
        self.type(text)

    def activate(self, locator: Locator) -> None:
        """Tab to a link or button and press Enter."""
        self.tab_to(locator)
        with self.page.expect_navigation():
            self.press("Enter")

    def check_focus_indicator(self) -> None:
        indicator = self.page.evaluate(_FOCUS_INDICATOR_JS)
        if indicator is None:
            return
        if (
            indicator["width"] < MIN_FOCUS_WIDTH_PX
            or indicator["behind"] < MIN_FOCUS_CONTRAST
            or indicator["component"] < MIN_FOCUS_CONTRAST
        ):
            self.weak_focus.append(
                f"{indicator['description']} on {self.page.url}: {indicator['width']:.1f}px, "
                f"{indicator['behind']:.2f}:1 against the background, "
                f"{indicator['component']:.2f}:1 against the element ({indicator['colours']})"
            )

    def assert_focus_was_visible(self) -> None:
        assert not self.weak_focus, "Focus indicators under 3:1 or 2px:\n" + "\n".join(
            self.weak_focus
        )


def check_every_focus_indicator(page: Page, *, limit: int = 150) -> list[str]:
    """Tab through the whole page from the top and return the focus rings that fail."""
    user = KeyboardUser(page)
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    for _ in range(limit):
        user.press("Tab")
        came_round = page.evaluate(
            "() => { const e = document.activeElement; if (!e || e === document.body) return false;"
            " if (e.dataset.focusChecked) return true; e.dataset.focusChecked = '1'; return false; }"
        )
        if came_round:  # focus is back on an element already checked: the whole page is done
            break
        user.check_focus_indicator()
    return user.weak_focus


def assert_refusal_is_announced(page: Page) -> None:
    """After a refused submit: the title says Error, an error summary with role=alert has focus,
    and every link in it leads to a field that exists on the page."""
    assert page.title().startswith("Error: "), f"title is {page.title()!r}"
    summary = page.locator("[data-error-summary]")
    assert summary.count() == 1, "no error summary on the refused form"
    assert summary.get_attribute("role") == "alert"
    assert summary.evaluate(_IS_FOCUSED_JS), "the error summary does not have focus"
    links = summary.get_by_role("link")
    assert links.count() >= 1, "the error summary does not link to the fields"
    for index in range(links.count()):
        target = links.nth(index).get_attribute("href") or ""
        assert target.startswith("#") and page.locator(target).count() == 1, target
