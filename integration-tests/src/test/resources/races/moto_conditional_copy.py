# Patches applied to moto 5.2 before the server starts, for ConditionalRacesIT only: they make
# moto's S3 settle concurrent writes to one key as S3 does, so that the promoter's conditional-write
# path (conditionalWrites: true, the deployed default) runs against a real HTTP S3 API.
import threading

import moto.s3.responses as s3_responses
from moto.s3.exceptions import MissingKey, PreconditionFailed

# CopyObject ignores If-None-Match and If-Match; S3 honours both on the destination key (412
# Precondition Failed when the key exists, or when its current ETag differs; a missing key fails
# If-Match with 404 NoSuchKey), as PutObject already does in moto.
# Each write to a key is also atomic in S3: moto checks a PutObject's condition and then writes,
# without a lock, so two requests at once could both pass the check. One lock serialises the
# writes the conditions guard.
_writes = threading.Lock()
_copy_object = s3_responses.S3Response.copy_object
_put_object = s3_responses.S3Response.put_object


def _copy_object_honouring_conditions(self):
    with _writes:
        if_match = self.headers.get("If-Match")
        if_none_match = self.headers.get("If-None-Match")
        current = self.backend.get_object(self.bucket_name, self.parse_key_name())
        if if_match:
            if current is None:
                raise MissingKey
            if if_match.replace('"', "") != current.etag.replace('"', ""):
                raise PreconditionFailed("If-Match")
        if if_none_match == "*" and current is not None:
            raise PreconditionFailed("If-None-Match")
        return _copy_object(self)


def _put_object_atomically(self):
    with _writes:
        return _put_object(self)


s3_responses.S3Response.copy_object = _copy_object_honouring_conditions
s3_responses.S3Response.put_object = _put_object_atomically
