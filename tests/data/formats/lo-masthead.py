"""Writes lo-masthead.fodt (argument "info") or lo-large-head.fodt ("head") to stdout (README.md)."""

import sys

with_title = sys.argv[1] == "info"
S = (
    "The regional water boards reviewed their maintenance obligations, and the commission documented the "
    "authorisation procedures that the boards had renegotiated over the decade. "
)
meta = "<dc:title>Water Boards Review: Findings of 2021</dc:title>" if with_title else ""
header = (
    "" if with_title else '<style:header><text:p text:style-name="Head">WATER BOARDS QUARTERLY</text:p></style:header>'
)
first = '<text:p text:style-name="Masthead">AGENCY FOR WATER REVIEWS</text:p>' if with_title else ""
body = [first, '<text:p text:style-name="Title">Water Boards Review: Findings</text:p>']
if with_title:  # a heading set like the title, right under it
    body.append('<text:p text:style-name="Title">Threats to the Regional Boards</text:p>')
for i in range(1, 21):
    body.append(f'<text:p text:style-name="Body">Paragraph {i}. {S * 3}</text:p>')
print(f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
  xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
  xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
  office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:meta>{meta}</office:meta>
 <office:styles>
  <style:style style:name="Body" style:family="paragraph"><style:paragraph-properties fo:text-align="justify" fo:text-indent="0.5cm"/><style:text-properties fo:font-size="11pt"/></style:style>
  <style:style style:name="Masthead" style:family="paragraph"><style:text-properties fo:font-size="24pt" fo:font-weight="bold"/></style:style>
  <style:style style:name="Title" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.4cm"/><style:text-properties fo:font-size="17pt"/></style:style>
  <style:style style:name="Head" style:family="paragraph"><style:text-properties fo:font-size="22pt"/></style:style>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="14.8cm" fo:page-height="21cm" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2cm" fo:margin-right="2cm"/><style:header-style/></style:page-layout>
 </office:automatic-styles>
 <office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">{header}</style:master-page></office:master-styles>
 <office:body><office:text>
{chr(10).join(body)}
 </office:text></office:body>
</office:document>""")
