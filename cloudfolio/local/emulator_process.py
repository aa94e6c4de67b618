"""The emulator's process: moto server, with DynamoDB's atomic writes and an ordered recording.

python -m cloudfolio.local.emulator_process -H 127.0.0.1 -p 8002
"""

from __future__ import annotations

from cloudfolio.local.atomic_writes import serialize_dynamodb_writes
from cloudfolio.local.replay import record_in_processing_order


def main() -> None:
    serialize_dynamodb_writes()
    record_in_processing_order()
    from moto.server import main as moto_main

    moto_main()


if __name__ == "__main__":
    main()
