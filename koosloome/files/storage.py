"""Where the bytes of stored files lie: a private folder on local disk (the default), or an
S3-compatible bucket when ``FILES_S3_BUCKET`` is set (MinIO, Hetzner, AWS… through boto3).

Both are outside ``static/`` and never served by the web server directly: every download goes
through a view that checks who asks. Keys are random (``StoredFile.key``); a key that is not
one of ours (a path, dots) is refused before it reaches the disk or the bucket.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from flask import Flask, current_app

from koosloome.private_files import PRIVATE_FILE, private_folder

_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
EXTENSION = "koosloome_files"


class MissingBytes(LookupError):
    """The row is there but its bytes are not (removed by hand, or a failed restore)."""


def _checked(key: str) -> str:
    if not _KEY.fullmatch(key):
        raise ValueError("not a stored file's key")
    return key


class Storage(Protocol):
    """What the files service needs of a place to keep bytes."""

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Keep ``data`` under ``key`` (a new key: never overwrites)."""

    def get(self, key: str) -> bytes:
        """The bytes under ``key``; ``MissingBytes`` when there are none."""

    def delete(self, key: str) -> None:
        """Remove the bytes under ``key``; nothing happens when there are none."""

    def listing(self) -> Iterator[tuple[str, datetime | None]]:
        """Every key held, with when it was written (for ``flask files sweep``)."""


class LocalStorage:
    """Files in a folder only the app's user may enter (0700), each readable by it alone
    (0600), written whole before they get their name."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / _checked(key)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Write to a temporary name, then rename: a reader never sees half a file."""
        private_folder(self.root)
        path = self._path(key)
        partial = path.with_name(f".{key}.partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.link(partial, path)  # fails if the key exists: never overwrite
        finally:
            partial.unlink(missing_ok=True)

    def get(self, key: str) -> bytes:
        """The file's bytes."""
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise MissingBytes(key) from None

    def delete(self, key: str) -> None:
        """Remove the file if it is there."""
        self._path(key).unlink(missing_ok=True)

    def listing(self) -> Iterator[tuple[str, datetime | None]]:
        """The keys of the files in the folder (not temporary ones), with their times."""
        if not self.root.is_dir():
            return
        for path in self.root.iterdir():
            if _KEY.fullmatch(path.name) and path.is_file():
                yield path.name, datetime.fromtimestamp(path.stat().st_mtime, UTC)


class S3Storage:
    """Objects in one bucket (under an optional prefix) of an S3-compatible store."""

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self.client, self.bucket, self.prefix = client, bucket, prefix

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Upload the object (private: no ACL grants anyone else)."""
        self.client.put_object(Bucket=self.bucket, Key=self.prefix + _checked(key), Body=data,
                               ContentType=content_type)

    def get(self, key: str) -> bytes:
        """Download the object."""
        from botocore.exceptions import ClientError

        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self.prefix + _checked(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise MissingBytes(key) from None
            raise
        return answer["Body"].read()

    def delete(self, key: str) -> None:
        """Delete the object (S3 answers the same when there is none)."""
        self.client.delete_object(Bucket=self.bucket, Key=self.prefix + _checked(key))

    def listing(self) -> Iterator[tuple[str, datetime | None]]:
        """The keys under the prefix, with their times."""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix)
        for page in pages:
            for item in page.get("Contents", []):
                key = item["Key"][len(self.prefix):]
                if _KEY.fullmatch(key):
                    yield key, item.get("LastModified")


def s3_client(config: Any) -> Any:
    """A boto3 S3 client from ``FILES_S3_*`` (credentials from the standard AWS variables
    when not configured)."""
    import boto3
    from botocore.config import Config as BotoConfig

    return boto3.client(
        "s3",
        endpoint_url=config.get("FILES_S3_ENDPOINT_URL") or None,
        region_name=config.get("FILES_S3_REGION") or None,
        aws_access_key_id=config.get("FILES_S3_ACCESS_KEY_ID") or None,
        aws_secret_access_key=config.get("FILES_S3_SECRET_ACCESS_KEY") or None,
        config=BotoConfig(s3={"addressing_style": "path"}, retries={"max_attempts": 3},
                          connect_timeout=5, read_timeout=30),
    )


def make_storage(app: Flask) -> Storage:
    """The storage ``app``'s configuration asks for."""
    bucket = app.config.get("FILES_S3_BUCKET")
    if bucket:
        return S3Storage(s3_client(app.config), bucket, app.config.get("FILES_S3_PREFIX") or "")
    folder = app.config.get("FILES_DIR") or os.path.join(app.instance_path, "files")
    return LocalStorage(Path(folder))


def init_storage(app: Flask) -> None:
    """Make ``app``'s storage once (an S3 client is reused across requests)."""
    app.extensions[EXTENSION] = make_storage(app)


def storage() -> Storage:
    """The current app's storage."""
    return current_app.extensions[EXTENSION]
