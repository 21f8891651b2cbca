"""Test documents: well-formed PDFs (made with pypdf, which the CV check parses) and DOCX files."""

import io
import zipfile

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, TextStringObject


def pdf_bytes(*, catalog_extra: dict | None = None, annotation_action: dict | None = None, title: str = "") -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    if title:  # readable text inside the file, for tests that look for a CV's contents
        writer.add_metadata({"/Title": title})
    if catalog_extra:
        writer._root_object.update({NameObject(key): value for key, value in catalog_extra.items()})
    if annotation_action:
        annotation = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject([]),
                NameObject("/A"): DictionaryObject(
                    {NameObject(key): value for key, value in annotation_action.items()}
                ),
            }
        )
        page[NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF_BYTES = pdf_bytes()


def javascript_action() -> DictionaryObject:
    return DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )


def embedded_file_names() -> DictionaryObject:
    stream = DecodedStreamObject()
    stream.set_data(b"MZ payload")
    spec = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Filespec"),
            NameObject("/F"): TextStringObject("x.exe"),
            NameObject("/EF"): DictionaryObject({NameObject("/F"): stream}),
        }
    )
    return DictionaryObject(
        {
            NameObject("/EmbeddedFiles"): DictionaryObject(
                {NameObject("/Names"): ArrayObject([TextStringObject("x.exe"), spec])}
            )
        }
    )


def docx_bytes(extra: dict[str, bytes | str] | None = None, content_types: str = "<Types/>") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("word/document.xml", "<w:document>Ada Lovelace, ML Engineer</w:document>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()
