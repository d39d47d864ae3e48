"""Which storage holds uploaded and fetched report files, chosen from environment variables.

Read by tracker/settings.py, so it imports nothing from Django's models. FILE_STORAGE is one of:
- `database`: the shared database (the default when DATABASE_URL is set: production and CI);
- `s3`: S3-compatible object storage through django-storages (S3_BUCKET and friends below);
- `local`: this machine's disk under MEDIA_ROOT (the default for a single-machine SQLite run).
"""

CHOICES = ("database", "s3", "local")


def file_storage_choice(environ):
    """The storage named by FILE_STORAGE, else `database` with DATABASE_URL and `local` without.

    Raises ValueError naming the choices for any other value."""
    default = "database" if environ.get("DATABASE_URL") else "local"
    choice = (environ.get("FILE_STORAGE") or default).strip().lower()
    if choice not in CHOICES:
        raise ValueError(f"FILE_STORAGE must be one of {', '.join(CHOICES)}, not {choice!r}.")
    return choice


def default_storage_settings(environ):
    """STORAGES["default"] for the chosen storage. For `s3`: S3_BUCKET (required), S3_ENDPOINT_URL
    (for MinIO, Ceph, or another provider), S3_REGION, S3_PREFIX; credentials the usual AWS way
    (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or the machine's role). Raises ValueError when the
    bucket is missing."""
    choice = file_storage_choice(environ)
    if choice == "database":
        return {"BACKEND": "dbstorage.storage.DatabaseStorage"}
    if choice == "local":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    bucket = environ.get("S3_BUCKET", "").strip()
    if not bucket:
        raise ValueError("FILE_STORAGE=s3 needs S3_BUCKET (and S3_ENDPOINT_URL for a provider other than AWS).")
    from botocore.config import Config  # only when S3 is chosen: boto is slow to import

    timeout = float(environ.get("S3_TIMEOUT_SECONDS", "10"))
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": environ.get("S3_ENDPOINT_URL") or None,
            "region_name": environ.get("S3_REGION") or None,
            "location": environ.get("S3_PREFIX", "").strip("/"),
            # Never overwrite: two servers saving the same name each keep their own file.
            "file_overwrite": False,
            # Private bucket; files reach users only through the views that check the role.
            "default_acl": None,
            "querystring_auth": True,
            "client_config": Config(connect_timeout=timeout, read_timeout=timeout * 3, retries={"max_attempts": 3}),
        },
    }
