"""Writes lo-rule.fodt (argument "rule") or lo-no-rule.fodt ("none") to stdout (README.md)."""

import sys

rule = sys.argv[1] == "rule"
sep = (
    (
        '<style:footnote-sep style:width="0.018cm" style:distance-before-sep="0.1cm" style:distance-after-sep="0.1cm" '
        'style:line-style="solid" style:rel-width="25%" style:adjustment="left"/>'
    )
    if rule
    else '<style:footnote-sep style:width="0cm" style:line-style="none" style:rel-width="0%" style:distance-before-sep="0.1cm" style:distance-after-sep="0.1cm"/>'
)
S = (
    "The regional water boards reviewed their maintenance obligations, and the commission documented the "
    "authorisation procedures that the boards had renegotiated over the decade. "
)


def note(n, text):
    return (
        f'<text:note text:id="ftn{n}" text:note-class="footnote"><text:note-citation>{n}</text:note-citation>'
        f'<text:note-body><text:p text:style-name="Footnote">{text}</text:p></text:note-body></text:note>'
    )


long_note = " ".join(f"Sentence {k} of the long note on the boards' records." for k in range(1, 31))
body = []
body.append('<text:h text:outline-level="1">Water Boards and Their Records</text:h>')
for i in range(1, 6):
    mark = note(1, "Minutes of the council, 4 March 2019.") if i == 2 else ""
    body.append(f'<text:p text:style-name="Body">Paragraph {i}. {S * 3}The review continued.{mark}</text:p>')
body.append(
    f'<text:p text:style-name="Body">Paragraph 6. {S * 2}The boards kept their records.{note(2, long_note)}</text:p>'
)
for i in range(7, 10):
    body.append(f'<text:p text:style-name="Body">Paragraph {i}. {S * 2}The review ended there.</text:p>')
body.append(
    f'<text:p text:style-name="Body">Paragraph 10. {S}The last words.{note(3, "Annual report of the boards, 2020.")}</text:p>'
)
body.append('<text:p text:style-name="Caption">Source: regional ministry records, 2019; figures rounded.</text:p>')
print(f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
  xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
  xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
  office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:meta><dc:title>Water Boards and Their Records</dc:title></office:meta>
 <office:styles>
  <style:style style:name="Body" style:family="paragraph"><style:paragraph-properties fo:text-align="justify" fo:text-indent="0.5cm"/><style:text-properties fo:font-size="11pt"/></style:style>
  <style:style style:name="Caption" style:family="paragraph"><style:text-properties fo:font-size="8pt"/></style:style>
  <style:style style:name="Footnote" style:family="paragraph"><style:text-properties fo:font-size="9pt"/></style:style>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="14.8cm" fo:page-height="21cm" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2cm" fo:margin-right="2cm">{sep}</style:page-layout-properties></style:page-layout>
 </office:automatic-styles>
 <office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"/></office:master-styles>
 <office:body><office:text>
{chr(10).join(body)}
 </office:text></office:body>
</office:document>""")
