"""The data-flow diagram: graphviz DOT source (pure) and its SVG (runs Debian's `dot`).

Trust boundaries are clusters (nested as declared); processes are ellipses,
data stores cylinders, external entities boxes. Elements that serve an
emergency-access function get a double outline so they stand out in reviews.
"""

from __future__ import annotations

import graphviz

from medvigil.core.threats.model import ArchitectureModel, TrustBoundary

SHAPES = {"process": "ellipse", "data_store": "cylinder", "external_entity": "box"}


def node_name(identifier: str) -> str:
    return "n_" + identifier.replace("-", "_").replace(".", "_")


def digraph(model: ArchitectureModel) -> graphviz.Digraph:
    graph = graphviz.Digraph(name="dfd", format="svg")
    graph.attr(
        rankdir="LR",
        fontname="Helvetica",
        fontsize="11",
        label=model.name,
        labelloc="t",
        nodesep="0.6",
        ranksep="1.2",
    )
    graph.attr("node", fontname="Helvetica", fontsize="10")
    graph.attr("edge", fontname="Helvetica", fontsize="9")
    emergency = model.emergency_elements()
    children: dict[str | None, list[TrustBoundary]] = {}
    for boundary in model.boundaries:
        children.setdefault(boundary.parent, []).append(boundary)

    def add_elements(target: graphviz.Digraph, boundary: str | None) -> None:
        for element in model.elements:
            if element.boundary != boundary:
                continue
            label = element.name + ("\n(emergency access)" if element.id in emergency else "")
            target.node(
                node_name(element.id),
                label=label,
                shape=SHAPES[element.kind],
                peripheries="2" if element.id in emergency else "1",
                style="dashed" if not element.in_scope else "solid",
                id=f"element_{node_name(element.id)}",
            )
        for child in children.get(boundary, []):
            with target.subgraph(name=f"cluster_{node_name(child.id)}") as cluster:
                cluster.attr(
                    label=child.name,
                    style="dashed",
                    color="firebrick",
                    id=f"boundary_{node_name(child.id)}",
                )
                add_elements(cluster, child.id)

    add_elements(graph, None)
    drawn: set[tuple[str, str]] = set()
    for flow in model.flows:
        details = " ".join(
            part for part in (flow.protocol, str(flow.port) if flow.port else "") if part
        )
        label = flow.name + (f"\n{details}" if details else "")
        # A flow back along a drawn pair is laid out as the same pair, its arrow reversed:
        # dot then sets the two labels side by side instead of on top of each other.
        backwards = (flow.destination, flow.source) in drawn
        drawn.add((flow.source, flow.destination))
        ends = (flow.destination, flow.source) if backwards else (flow.source, flow.destination)
        graph.edge(
            node_name(ends[0]),
            node_name(ends[1]),
            dir="back" if backwards else "forward",
            label=label,
            style="solid" if flow.encryption != "none" else "dashed",
            id=f"flow_{node_name(flow.id)}",
        )
    return graph


def dot_source(model: ArchitectureModel) -> str:
    return str(digraph(model).source)


def render_svg(model: ArchitectureModel) -> bytes:
    """The diagram as SVG bytes (runs graphviz's `dot`, which must be installed)."""
    return bytes(digraph(model).pipe(format="svg"))


def render_png(model: ArchitectureModel, dpi: int = 110) -> bytes:
    """The same diagram as PNG (`dot -Tpng`), for word processors that do not show SVG."""
    graph = digraph(model)
    graph.attr(dpi=str(dpi))
    return bytes(graph.pipe(format="png"))
