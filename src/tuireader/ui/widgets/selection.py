"""The mouse selection drawn over a line-API widget's lines (Textual draws it only for its own widgets)."""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widget import Widget

from .styling import keep_readable


def with_selection(widget: Widget, strip: Strip, line: int) -> Strip:
    """``strip`` (line ``line`` of the widget's virtual lines) with the selected cells highlighted."""
    selection = widget.text_selection
    if selection is None:
        return strip
    span = selection.get_span(line)
    if span is None:
        return strip
    start, end = span
    if end == -1:
        end = strip.cell_length
    end = min(end, strip.cell_length)  # a drag past the end of a line: divide() gives fewer pieces
    if end <= start:
        return strip
    style = widget.screen.get_component_rich_style("screen--selection")
    head, middle, tail = strip.divide([start, end, max(end, strip.cell_length)])
    middle = Strip(
        [Segment(text, keep_readable(seg_style + style if seg_style else style)) for text, seg_style, _ in middle]
    )
    return Strip.join([head, middle, tail])
