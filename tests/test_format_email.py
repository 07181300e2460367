"""E-mail and MHTML: headers as metadata, the HTML part through the HTML reader, attachments listed."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from tuireader.core.formats import parse_file
from tuireader.core.textio import DocumentError

HTML_PART = (
    '<html><body><div class="preheader" style="display:none">Preview text</div>'
    '<p>Fighting near Gao&nbsp;resumed on Monday.<sup><a href="#fn1">1</a></sup></p>'
    '<ol><li id="fn1">Local sources, 13 March.</li></ol>'
    '<div class="footer"><a href="https://sahel.example/unsubscribe">Unsubscribe</a></div></body></html>'
)


def newsletter() -> EmailMessage:
    m = EmailMessage()
    m["From"] = "Sahel Monitor <desk@sahel.example>"
    m["To"] = "analyst@example.org"
    m["Subject"] = "Weekly brief: Mali – Niger"
    m["Date"] = "Tue, 14 Mar 2023 09:30:00 +0100"
    m.set_content("Plain version of the brief.\n")
    m.add_alternative(HTML_PART, subtype="html")  # quoted-printable on the wire
    m.add_attachment(b"%PDF-1.4 " + b"x" * 3000, maintype="application", subtype="pdf", filename="brief.pdf")
    return m


def test_newsletter_headers_html_part_notes_and_attachment(tmp_path):
    path = tmp_path / "brief.eml"
    path.write_bytes(bytes(newsletter()))
    doc = parse_file(path)
    assert doc.format == "email"
    assert (doc.title, doc.authors, doc.date) == ("Weekly brief: Mali – Niger", ["Sahel Monitor"], "2023-03-14")
    assert [b.text for b in doc.blocks] == [
        "Fighting near Gao\u00a0resumed on Monday.",
        "[attachment: brief.pdf, application/pdf, 3 KB]",
    ]
    assert [(n.label, n.text) for n in doc.footnotes] == [("1", "Local sources, 13 March.")]
    assert doc.footnotes[0].cited_at == [(0, len("Fighting near Gao\u00a0resumed on Monday."))]
    # Offsets are in the decoded HTML part (MIME section 1.2), not in the quoted-printable file.
    assert doc.parts[0].member == "1.2"
    first = doc.blocks[0]
    assert HTML_PART[first.source_start : first.source_end] == "Fighting near Gao&nbsp;resumed on Monday."
    assert doc.locate(first.source_start) == {"member": "1.2", "member_offset": HTML_PART.index("Fighting")}


def test_plain_text_message_in_latin1_through_the_text_reader(tmp_path):
    raw = (
        "From: =?iso-8859-1?q?Jos=E9_Garc=EDa?= <jose@example.org>\n"
        "Subject: Informe de campo\nDate: Wed, 01 Feb 2023 10:00:00 +0000\n"
        'Content-Type: text/plain; charset="iso-8859-1"\nContent-Transfer-Encoding: quoted-printable\n\n'
        "La situaci=F3n en el puerto es tensa.[1]\n\n[1] Fuente local.\n"
    ).encode("ascii")
    path = tmp_path / "tip.eml"
    path.write_bytes(raw)
    doc = parse_file(path)
    assert (doc.title, doc.authors, doc.date) == ("Informe de campo", ["José García"], "2023-02-01")
    assert [b.text for b in doc.blocks] == ["La situación en el puerto es tensa."]
    assert [(n.label, n.text) for n in doc.footnotes] == [("1", "Fuente local.")]
    assert doc.parts[0].member == "1"


def test_message_without_a_text_part_and_broken_files(tmp_path):
    m = EmailMessage()
    m["Subject"] = "Only a file"
    m.add_attachment(b"\x00\x01", maintype="application", subtype="octet-stream", filename="blob.bin")
    path = tmp_path / "only.eml"
    path.write_bytes(bytes(m))
    doc = parse_file(path)
    assert doc.title == "Only a file"
    assert [b.text for b in doc.blocks] == ["[attachment: blob.bin, application/octet-stream, 2 bytes]"]
    assert [w.code for w in doc.warnings] == ["empty"]
    (tmp_path / "empty.eml").write_bytes(b"")
    with pytest.raises(DocumentError, match="empty"):
        parse_file(tmp_path / "empty.eml")
    (tmp_path / "bin.eml").write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(DocumentError, match="binary"):
        parse_file(tmp_path / "bin.eml")


def test_mhtml_page_is_read_as_html(tmp_path):
    m = EmailMessage()
    m["Subject"] = "Saved page"
    m["Snapshot-Content-Location"] = "https://news.example/a"
    m.set_content(
        "<html><head><title>Dam report</title></head><body><p>The dam held.</p></body></html>", subtype="html"
    )
    m.make_related()
    m.add_related(b"GIF89a", maintype="image", subtype="gif", cid="<img1>")
    path = tmp_path / "page.mht"
    path.write_bytes(bytes(m))
    doc = parse_file(path)
    assert doc.format == "mhtml"
    assert (doc.title, doc.url) == ("Dam report", "https://news.example/a")
    assert [b.text for b in doc.blocks] == ["The dam held."]
