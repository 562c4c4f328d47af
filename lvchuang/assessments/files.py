"""What an evidence file really is, and its thumbnail.

The type of an upload is read from its first bytes (its "magic"), never taken from the browser's Content-Type or
the file name alone: a program renamed `通知.pdf` starts with `MZ`, not `%PDF-`, and is refused. The extension must
agree with what the bytes say, so a file opens in the program its name promises.

Allowed (the evidence offices ask for: photos, scans, signed documents, ledgers):
JPEG, PNG, PDF, Word (.doc, .docx) and Excel (.xls, .xlsx).
"""

from __future__ import annotations

import hashlib
import io
import uuid
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError


def private_name(folder: str, filename: str, *, marker: str = "") -> str:
    """Where an uploaded file is stored: a random name in a two-character fan-out directory of `folder`, keeping
    only the lower-cased extension (after `marker`, e.g. ".thumb"). Nothing in the path says whose file it is;
    files are served only through access-checked views."""
    token = uuid.uuid4().hex
    return f"{folder}/{token[:2]}/{token}{marker}{PurePath(filename).suffix.lower()}"


THUMBNAIL_SIZE = (320, 320)

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of Word 97–2003 and Excel 97–2003
ZIP = b"PK\x03\x04"


@dataclass(frozen=True)
class FileType:
    content_type: str
    label: str
    extensions: tuple[str, ...]  # the first is the one a stored file gets


JPEG = FileType("image/jpeg", "JPEG 图片", (".jpg", ".jpeg"))
PNG = FileType("image/png", "PNG 图片", (".png",))
PDF = FileType("application/pdf", "PDF", (".pdf",))
DOC = FileType("application/msword", "Word 97–2003", (".doc",))
XLS = FileType("application/vnd.ms-excel", "Excel 97–2003", (".xls",))
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word", (".docx",))
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel", (".xlsx",))
ALLOWED = (JPEG, PNG, PDF, DOC, DOCX, XLS, XLSX)
ALLOWED_EXTENSIONS = tuple(extension for kind in ALLOWED for extension in kind.extensions)
LABELS = {kind.content_type: kind.label for kind in ALLOWED}


class RefusedFile(ValueError):
    """The file is not one of the allowed types, or its bytes do not match its name. The message says which."""


def sniff(head: bytes, stream: IO[bytes]) -> FileType | None:
    """The type the bytes say the file is, or None. `head` is the first 8 bytes; `stream` the whole file."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(OLE2):
        return DOC  # or XLS: the container is the same, the extension decides (see `identify`)
    if head.startswith(ZIP):
        # .docx and .xlsx are zip packages; the part names tell Word from Excel from any other zip.
        try:
            with zipfile.ZipFile(stream) as package:
                names = set(package.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        if "[Content_Types].xml" not in names:
            return None
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
    return None


def identify(upload: UploadedFile) -> FileType:
    """The allowed type of `upload`, checked against its bytes and its extension; RefusedFile otherwise."""
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise RefusedFile(
            f"不支持“{extension or '无扩展名'}”文件。"
            "可以上传 JPEG、PNG 图片，PDF，Word（.doc/.docx）或 Excel（.xls/.xlsx）。"
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    found = sniff(head, upload)
    upload.seek(0)
    if found is DOC and extension == ".xls":
        found = XLS
    if found is None or extension not in found.extensions:
        raise RefusedFile(f"文件内容与扩展名“{extension}”不符，可能已损坏或被改名，未上传。")
    return found


def sha256_of(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def thumbnail_of(upload: UploadedFile) -> ContentFile[bytes]:
    """A JPEG thumbnail of an image upload, turned upright. RefusedFile if the image cannot be decoded."""
    upload.seek(0)
    try:
        # Pillow warns above Image.MAX_IMAGE_PIXELS (about 89 million pixels, well above a phone photo) that the
        # file may be a decompression bomb; such an image is refused rather than decoded.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image.load()
                picture = ImageOps.exif_transpose(image)
                picture.thumbnail(THUMBNAIL_SIZE)
                if picture.mode not in ("RGB", "L"):
                    background = Image.new("RGB", picture.size, "white")
                    rgba = picture.convert("RGBA")
                    background.paste(rgba, mask=rgba.getchannel("A"))
                    picture = background
                buffer = io.BytesIO()
                picture.save(buffer, format="JPEG", quality=82, optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise RefusedFile("图片无法读取，可能已损坏，未上传。") from error
    except Image.DecompressionBombWarning as error:
        raise RefusedFile("图片像素过多，请缩小后再上传。") from error
    finally:
        upload.seek(0)
    return ContentFile(buffer.getvalue(), name="thumbnail.jpg")
