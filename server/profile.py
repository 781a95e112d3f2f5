"""What this reference backend offers, chosen at start (``dho-server --profile``).

- ``normal``: the reference backend with our extensions (``$lastn``, the rules engine raising
  alert Tasks, ``/ws/notifications``, server-side escalation).
- ``plain-r4``: only what the R4 standard gives, like a third-party server (no ``$lastn``, no
  extension search parameters, no own websocket, no rules, UUID versionIds, an offset cap), so
  the console is tested against what other servers offer.
- ``training``: ``normal`` plus what only a training centre may have: scenarios, the
  simulator's ground truth, and the training mark.

The profile is announced in the CapabilityStatement (``rest[0].extension``, url
:data:`PROFILE_EXTENSION`); clients decide from that, never from the URL.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

PROFILE_EXTENSION: Final = "http://dho.example/fhir/StructureDefinition/server-profile"


class ServerProfile(StrEnum):
    NORMAL = "normal"
    PLAIN_R4 = "plain-r4"
    TRAINING = "training"

    @property
    def extensions(self) -> bool:
        """Our own extensions (``$lastn``, rules, own websocket) are served."""
        return self is not ServerProfile.PLAIN_R4

    @property
    def is_training(self) -> bool:
        """Ground truth and scenarios may be exposed: never on a server with real patients."""
        return self is ServerProfile.TRAINING
