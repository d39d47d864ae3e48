"""The database storage keeps what it was given, under names Django's file fields expect."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from dbstorage.config import default_storage_settings, file_storage_choice
from dbstorage.models import StoredFile
from dbstorage.storage import DatabaseStorage

pytestmark = pytest.mark.django_db


def test_a_saved_file_reads_back_byte_for_byte_with_its_size_and_time(db_files):
    data = b"%PDF-1.7\n" + bytes(range(256)) * 40
    before = timezone.now()
    name = default_storage.save("reports/2024/wirral.pdf", ContentFile(data))
    assert isinstance(default_storage._wrapped, DatabaseStorage)
    assert name == "reports/2024/wirral.pdf"
    assert default_storage.exists(name) and default_storage.size(name) == len(data)
    with default_storage.open(name, "rb") as handle:
        assert handle.read() == data
    assert before <= default_storage.get_modified_time(name) <= timezone.now()
    assert StoredFile.objects.get(name=name).content_type == "application/pdf"


def test_a_second_file_with_the_same_name_gets_a_free_name_and_both_are_kept(db_files):
    first = default_storage.save("pending/report.pdf", ContentFile(b"one"))
    second = default_storage.save("pending/report.pdf", ContentFile(b"two"))
    assert first == "pending/report.pdf" and second != first and second.startswith("pending/report_")
    assert default_storage.open(first).read() == b"one" and default_storage.open(second).read() == b"two"


def test_a_race_for_one_name_is_settled_by_the_database_not_lost(db_files, monkeypatch):
    """Two servers both saw the name free; the second insert takes the next free name."""
    storage = DatabaseStorage()
    storage.save("pending/x.pdf", ContentFile(b"first server"))
    seen = []
    real_available = DatabaseStorage.get_available_name

    def stale_first_look(self, name, max_length=None):
        seen.append(name)
        return name if len(seen) == 1 else real_available(self, name, max_length)

    monkeypatch.setattr(DatabaseStorage, "get_available_name", stale_first_look)
    name = storage.save("pending/x.pdf", ContentFile(b"second server"))
    assert name != "pending/x.pdf" and storage.open(name).read() == b"second server"
    assert storage.open("pending/x.pdf").read() == b"first server"


def test_missing_files_are_reported_as_missing_and_delete_never_fails(db_files):
    for call in (default_storage.open, default_storage.size, default_storage.get_modified_time):
        with pytest.raises(FileNotFoundError):
            call("reports/2024/nothing.pdf")
    assert not default_storage.exists("reports/2024/nothing.pdf")
    default_storage.delete("reports/2024/nothing.pdf")
    name = default_storage.save("a.pdf", ContentFile(b"x"))
    default_storage.delete(name)
    assert not default_storage.exists(name) and not StoredFile.objects.exists()


def test_listing_a_folder_gives_its_files_and_subfolders_only(db_files):
    for name in ("pending/a.pdf", "pending/b.pdf", "pending/old/c.pdf", "reports/2024/d.pdf", "pendingx.pdf"):
        default_storage.save(name, ContentFile(b"x"))
    assert default_storage.listdir("pending") == (["old"], ["a.pdf", "b.pdf"])
    assert default_storage.listdir("") == (["pending", "reports"], ["pendingx.pdf"])


def test_files_have_no_path_or_public_url_and_cannot_be_opened_for_writing(db_files):
    name = default_storage.save("a.pdf", ContentFile(b"x"))
    for call in (default_storage.path, default_storage.url):
        with pytest.raises(NotImplementedError):
            call(name)
    with pytest.raises(ValueError, match="written with save"):
        default_storage.open(name, "wb")


def test_a_file_saved_in_a_transaction_that_fails_is_gone_with_it(db_files):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        default_storage.save("pending/rolled-back.pdf", ContentFile(b"x"))
        raise RuntimeError
    assert not default_storage.exists("pending/rolled-back.pdf")


def test_old_stray_files_are_found_by_their_time_for_the_clean_up(db_files):
    name = default_storage.save("pending/stray.pdf", ContentFile(b"x"))
    StoredFile.objects.filter(name=name).update(created_at=timezone.now() - datetime.timedelta(days=3))
    from intake.services import uploads_clean_up

    assert uploads_clean_up() == 1 and not default_storage.exists(name)


# Choosing the storage -------------------------------------------------------------------------------


def test_the_database_is_the_default_with_a_database_url_and_local_disk_without():
    assert file_storage_choice({"DATABASE_URL": "postgres://db/tracker"}) == "database"
    assert file_storage_choice({}) == "local"
    assert file_storage_choice({"DATABASE_URL": "postgres://db/t", "FILE_STORAGE": "Local"}) == "local"
    assert default_storage_settings({"FILE_STORAGE": "database"}) == {"BACKEND": "dbstorage.storage.DatabaseStorage"}


def test_an_unknown_storage_or_s3_without_a_bucket_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="database, s3, local"):
        file_storage_choice({"FILE_STORAGE": "nfs"})
    with pytest.raises(ValueError, match="S3_BUCKET"):
        default_storage_settings({"FILE_STORAGE": "s3"})


def test_s3_settings_name_the_bucket_endpoint_and_a_timeout_and_never_overwrite():
    chosen = default_storage_settings(
        {"FILE_STORAGE": "s3", "S3_BUCKET": "reports", "S3_ENDPOINT_URL": "https://minio.example:9000"}
    )
    options = chosen["OPTIONS"]
    assert chosen["BACKEND"] == "storages.backends.s3.S3Storage"
    assert (options["bucket_name"], options["endpoint_url"], options["file_overwrite"]) == (
        "reports",
        "https://minio.example:9000",
        False,
    )
    assert options["client_config"].connect_timeout == 10
    from storages.backends.s3 import S3Storage

    storage = S3Storage(**options)  # builds without a server; nothing is sent until a file is used
    assert storage.bucket_name == "reports"
