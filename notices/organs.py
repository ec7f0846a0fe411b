"""The issuing organs as notices print them: each one's seal image, when one is uploaded."""

import base64
import logging

from .models import IssuingOrgan

logger = logging.getLogger(__name__)


def organ(name: str) -> IssuingOrgan | None:
    return IssuingOrgan.objects.filter(name=name).first()


def seal_images(names) -> dict[str, str]:
    """The seal of each of these organs that has one, by name (see `seal_for`)."""
    return {name: url for name in names if (url := seal_for(name))}


def seal_for(name: str) -> str | None:
    """The organ's seal as a data: URL WeasyPrint embeds, or None without one. Read through
    the storage, so it works whatever holds the media (a shared disk, an object store), and
    WeasyPrint is never asked to fetch a URL."""
    found = organ(name)
    if found is None or not found.seal:
        return None
    try:
        with found.seal.open("rb") as image:
            data = image.read()
    except OSError:
        # the room stays reserved and the notice is still issued; the operator is told
        logger.warning("seal image of %s is missing from the storage: %s", name, found.seal.name)
        return None
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")
