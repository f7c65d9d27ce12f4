"""Where uploaded files live when several application servers share them: a private bucket.

Uploaded files here are children's records (signed consent forms). They are never linked to
directly: the views that check access read them from storage and stream them to the person
(see ``counseling.views.referrals.outbound_referral_consent``), writing the access log. So the
bucket stays private, and even a URL made by mistake is signed and short-lived. (A missing
object raises FileNotFoundError, as on the local disk: django-storages maps S3's 404.)
"""

from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """S3 or an S3-compatible service (MinIO, Ceph, a cloud provider's object storage)."""

    def get_default_settings(self) -> dict:
        settings = super().get_default_settings()
        settings.update(
            # Objects inherit nothing public, whatever the bucket's defaults.
            default_acl="private",
            # Any URL the storage makes carries a signature that expires in five minutes.
            querystring_auth=True,
            querystring_expire=300,
            # Signature version 4: what every region and S3-compatible service accepts.
            signature_version="s3v4",
            # Names are random already; never replace one record's file by another's.
            file_overwrite=False,
        )
        return settings
