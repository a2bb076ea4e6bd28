"""A point's figure made fit to sit inline in an HTML page next to other figures.

In an HTML page the ``<style>`` of an inline SVG applies to the whole page, and an
``id`` must be unique in it. Each figure is therefore given its own prefix: every
``id`` and class name is prefixed (and every reference to them follows), and a rule
that names no class is scoped to the figure's root. Class names are renamed rather
than scoped by an ancestor, since the copies that ``<use>`` draws do not match
selectors through their ancestors.
"""

from __future__ import annotations

import re

from hipguide.ui.figures._svg import region_polygons

_ROOT = re.compile(r"<svg\b")
_ID = re.compile(r'\bid="([^"]+)"')
_CLASS = re.compile(r'\bclass="([^"]*)"')
_HREF = re.compile(r'\b((?:xlink:)?href)="#([^"]+)"')
_URL = re.compile(r"url\(#([^)]+)\)")
_STYLE = re.compile(r"(<style[^>]*>)(.*?)(</style>)", re.S)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_CLASS_SELECTOR = re.compile(r"\.(-?[A-Za-z_][\w-]*)")
_DECLARATION = re.compile(r"<\?xml[^>]*\?>\s*")
_VIEWBOX = re.compile(r'viewBox="0 0 ([\d.]+) ([\d.]+)"')


def _scope_selector(selector: str, prefix: str) -> str:
    renamed = _CLASS_SELECTOR.sub(lambda m: f".{prefix}-{m[1]}", selector.strip())
    return renamed if renamed != selector.strip() else f"#{prefix} {renamed}"


def _scope_rules(css: str, prefix: str) -> str:
    """Every rule of a plain stylesheet (no @-rules) made the figure's own."""
    if "@" in css:
        raise ValueError("a figure's stylesheet may hold plain rules only")

    def scope(rule: re.Match[str]) -> str:
        selectors = ", ".join(
            _scope_selector(part, prefix) for part in rule[1].split(",") if part.strip()
        )
        return f"{selectors}{{{rule[2]}}}"

    return _RULE.sub(scope, css)


def isolate(svg: str, prefix: str) -> str:
    """``svg`` (one figure's SVG text) with every id and class prefixed, every
    reference following them, its stylesheet scoped, and its root given ``id=prefix``."""
    svg = _DECLARATION.sub("", svg)
    svg = _ID.sub(lambda m: f'id="{prefix}-{m[1]}"', svg)
    svg = _CLASS.sub(
        lambda m: 'class="{}"'.format(" ".join(f"{prefix}-{c}" for c in m[1].split())), svg
    )
    svg = _HREF.sub(lambda m: f'{m[1]}="#{prefix}-{m[2]}"', svg)
    svg = _URL.sub(lambda m: f"url(#{prefix}-{m[1]})", svg)
    svg = _STYLE.sub(lambda m: m[1] + _scope_rules(m[2], prefix) + m[3], svg)
    return _ROOT.sub(f'<svg id="{prefix}"', svg, count=1)


def fit_width(svg: str) -> str:
    """The root's fixed ``width`` and ``height`` removed, so that the page's CSS sizes
    the picture (its ``viewBox`` keeps the proportions)."""
    start = svg.index("<svg")
    end = svg.index(">", start)
    root = re.sub(r'\s(width|height)="[^"]*"', "", svg[start:end])
    return svg[:start] + root + svg[end:]


def crop_tall(svg: str, mark_x: float, mark_y: float) -> str:
    """A figure much taller than wide (the whole body) cut to the body's width and to
    a band around the mark, so that the part that matters is drawn larger. The body's
    width is that of its regions, with a margin for the arms."""
    found = _VIEWBOX.search(svg)
    if found is None:
        return svg
    width, height = float(found[1]), float(found[2])
    if height <= width * 1.2:
        return svg
    xs = [x for polygons in region_polygons(svg).values() for poly in polygons for x, _ in poly]
    margin = width * 0.12
    left = max(0.0, min([*xs, mark_x]) - margin)
    right = min(width, max([*xs, mark_x]) + margin)
    band = min(height, (right - left) * 1.15)
    top = min(max(mark_y - band * 0.5, 0.0), height - band)
    box = f'viewBox="{left:.0f} {top:.0f} {right - left:.0f} {band:.0f}"'
    return svg[: found.start()] + box + svg[found.end() :]
