"""Static files in production: WhiteNoise's compressed storage with hashed names."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files. A stylesheet may name a file its package does not
    ship (viewflow's bundled Roboto CSS names font weights it leaves out): such a reference
    is kept as written instead of failing `collectstatic`; browsers skip a missing font."""

    manifest_strict = False

    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:  # the referenced file is not there
            if content is not None:
                raise
            return name
