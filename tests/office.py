"""Minimal Word and OpenDocument archives written by hand, for the traps a generated
file does not show (note ids out of order, custom marks, entities, bombs)."""

from __future__ import annotations

import zipfile
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_ROOT_RELS = (
    _HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"'
    ' Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"'
    ' Target="docProps/core.xml"/></Relationships>'
)
_PARTS = {
    "footnotes": "footnotes.xml",
    "endnotes": "endnotes.xml",
    "styles": "styles.xml",
    "numbering": "numbering.xml",
    "settings": "settings.xml",
}


def p(text: str = "", style: str | None = None, extra: str = "", runs: str | None = None) -> str:
    """A paragraph: plain text in one run, or ``runs`` as given."""
    ppr = (
        f'<w:pPr><w:pStyle w:val="{style}"/>{extra}</w:pPr>' if style else (f"<w:pPr>{extra}</w:pPr>" if extra else "")
    )
    body = runs if runs is not None else (f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>' if text else "")
    return f"<w:p>{ppr}{body}</w:p>"


def t(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def fn_ref(note_id: int, custom: str | None = None) -> str:
    if custom is None:
        return f'<w:r><w:footnoteReference w:id="{note_id}"/></w:r>'
    return f'<w:r><w:footnoteReference w:customMarkFollows="1" w:id="{note_id}"/></w:r><w:r><w:t>{custom}</w:t></w:r>'


def en_ref(note_id: int) -> str:
    return f'<w:r><w:endnoteReference w:id="{note_id}"/></w:r>'


def notes_xml(kind: str, notes: dict[int, str], separators: bool = True) -> str:
    """footnotes.xml or endnotes.xml: Word's two separator notes, then ``id: paragraphs xml``."""
    items = ""
    if separators:
        items += (
            f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
            f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{kind}>'
        )
    for nid, body in notes.items():
        items += f'<w:{kind} w:id="{nid}">{body}</w:{kind}>'
    return f'{_HEAD}<w:{kind}s xmlns:w="{W_NS}" xmlns:r="{R_NS}">{items}</w:{kind}s>'


def note_p(text: str) -> str:
    ref = '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
    return f'<w:p>{ref}<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p>'


def docx(
    path: Path,
    body: str,
    *,
    parts: dict[str, str] | None = None,
    links: dict[str, str] | None = None,
    note_links: dict[str, str] | None = None,
    core: str | None = None,
    document: str | None = None,
    extra: dict[str, bytes] | None = None,
) -> Path:
    """A .docx: ``body`` inside w:body; ``parts`` maps footnotes/endnotes/styles/numbering/
    settings to their XML; ``links`` maps relationship ids to external URLs."""
    parts = parts or {}
    rels = "".join(
        f'<Relationship Id="rId{kind}" Type="{R_NS}/{kind}" Target="{_PARTS[kind]}"/>' for kind in parts
    ) + "".join(
        f'<Relationship Id="{rid}" Type="{R_NS}/hyperlink" Target="{url}" TargetMode="External"/>'
        for rid, url in (links or {}).items()
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _HEAD + "<Types/>")
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr(
            "word/document.xml",
            document
            if document is not None
            else f'{_HEAD}<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>{body}</w:body></w:document>',
        )
        zf.writestr(
            "word/_rels/document.xml.rels",
            _HEAD
            + f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>',
        )
        for kind, xml in parts.items():
            zf.writestr("word/" + _PARTS[kind], xml)
        if note_links:
            zf.writestr(
                "word/_rels/footnotes.xml.rels",
                _HEAD
                + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                + "".join(
                    f'<Relationship Id="{rid}" Type="{R_NS}/hyperlink" Target="{url}" TargetMode="External"/>'
                    for rid, url in note_links.items()
                )
                + "</Relationships>",
            )
        if core is not None:
            zf.writestr("docProps/core.xml", core)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


def styles_xml(styles: str) -> str:
    return f'{_HEAD}<w:styles xmlns:w="{W_NS}">{styles}</w:styles>'


def core_xml(title: str = "", creator: str = "", created: str = "", keywords: str = "") -> str:
    return (
        _HEAD + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{title}</dc:title><dc:creator>{creator}</dc:creator><cp:keywords>{keywords}</cp:keywords>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created></cp:coreProperties>'
    )


ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink"'
)


def odt(path: Path, body: str, *, styles: str = "", manifest: str | None = None, content: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        zf.writestr(
            "content.xml",
            content
            if content is not None
            else f"{_HEAD}<office:document-content {ODF_NS}><office:automatic-styles>{styles}</office:automatic-styles>"
            f"<office:body><office:text>{body}</office:text></office:body></office:document-content>",
        )
        if manifest is not None:
            zf.writestr("META-INF/manifest.xml", manifest)
    return path
