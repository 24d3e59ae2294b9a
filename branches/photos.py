"""Photo uploads as evidence: checked by content (Pillow must read it as an image), limited in size and pixels,
re-encoded as JPEG (which also drops EXIF location data) with a thumbnail."""

from io import BytesIO

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .models import Photo
from .scoping import ensure_can_act_on_unit

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
STORED_SIDE = 2000
THUMB_SIDE = 360
ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP", "BMP", "MPO"}


def _open_image(upload):
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("照片“%(name)s”太大（%(size).1f MB），单张不能超过 %(limit)s MB。")
            % {"name": upload.name, "size": upload.size / 1024 / 1024, "limit": MAX_BYTES // 1024 // 1024}
        )
    try:
        upload.seek(0)
        probe = Image.open(upload)
        probe.verify()  # reads the whole file: a renamed text or zip file fails here
        upload.seek(0)
        image = Image.open(upload)
        if image.format not in ACCEPTED_FORMATS:
            raise UnidentifiedImageError(image.format)
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError(_("照片“%(name)s”像素过大，请缩小后再上传。") % {"name": upload.name})
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(
            _("“%(name)s”不是可识别的图片（支持 JPG、PNG、GIF、WEBP），请上传照片。") % {"name": upload.name}
        ) from None
    return ImageOps.exif_transpose(image).convert("RGB")


def _jpeg(image, side):
    copy = image.copy()
    copy.thumbnail((side, side))
    buffer = BytesIO()
    copy.save(buffer, format="JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue(), name="photo.jpg"), copy.size


def photos_attach(*, user, record, uploads, stage=Photo.Stage.OTHER, caption=""):
    """Check every upload first (images only, size-limited); save none if any is refused."""
    ensure_can_act_on_unit(user, record.unit)
    images = [(_open_image(upload), upload.name) for upload in uploads]
    saved = []
    record_type = ContentType.objects.get_for_model(record)
    for image, _name in images:
        stored, (width, height) = _jpeg(image, STORED_SIDE)
        thumbnail, _size = _jpeg(image, THUMB_SIDE)
        photo = Photo(record_type=record_type, record_id=record.pk, unit=record.unit, stage=stage, caption=caption,
                      width=width, height=height, uploaded_by=user)  # fmt: skip
        photo.image.save("photo.jpg", stored, save=False)
        photo.thumbnail.save("thumb.jpg", thumbnail, save=False)
        photo.save()
        saved.append(photo)
    return saved


def photos_of(record):
    return Photo.objects.filter(record_type=ContentType.objects.get_for_model(record), record_id=record.pk)


def photo_delete(*, user, photo):
    """Delete the row now and its files once the deletion is committed (a rolled-back delete keeps its photo)."""
    ensure_can_act_on_unit(user, photo.unit)
    files = [(field.storage, field.name) for field in (photo.image, photo.thumbnail) if field.name]
    photo.delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
