"""The data-flow diagram's labels can be read: no two texts drawn over each other."""

from __future__ import annotations

from pathlib import Path

import pytest
from defusedxml import ElementTree

from medvigil.core.threats import read_model
from medvigil.core.threats.diagram import render_svg

SVG = "{http://www.w3.org/2000/svg}"
MODELS = [
    Path(__file__).parent / "data" / "pytm-sample.yaml",
    Path(__file__).parents[3] / "src/medvigil/riskfile/demo_data/lvp-300-3.2.0.threatmodel.yaml",
]
Box = tuple[str, float, float, float, float]


def text_boxes(svg: bytes) -> list[Box]:
    """Each text's extent, its width estimated from its length (Helvetica averages 0.55 em)."""
    boxes = []
    for text in ElementTree.fromstring(svg).iter(f"{SVG}text"):
        size = float(text.get("font-size", "10"))
        width = len(text.text or "") * size * 0.55
        x, y = float(text.get("x", "0")), float(text.get("y", "0"))
        anchor = text.get("text-anchor", "start")
        left = {"middle": x - width / 2, "end": x - width}.get(anchor, x)
        boxes.append((text.text or "", left, y - size * 0.8, left + width, y + size * 0.2))
    return boxes


def overlapping(boxes: list[Box]) -> list[tuple[str, str]]:
    pairs = []
    for index, (name, left, top, right, bottom) in enumerate(boxes):
        for other, other_left, other_top, other_right, other_bottom in boxes[index + 1 :]:
            across = left < other_right and other_left < right
            if across and top < other_bottom and other_top < bottom:
                pairs.append((name, other))
    return pairs


@pytest.mark.parametrize("path", MODELS, ids=lambda path: path.name)
def test_no_label_of_the_diagram_is_drawn_over_another(path: Path) -> None:
    svg = render_svg(read_model(path.read_text()))
    assert len(text_boxes(svg)) > 5
    assert overlapping(text_boxes(svg)) == []
