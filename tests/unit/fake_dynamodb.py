"""An in-memory DynamoDB client for the calls the counter makes, for tests too big for moto.

It understands exactly the expressions the counter sends (ADD, SET if_not_exists, projections,
attribute_not_exists OR <=) and fails loudly on anything else. Like DynamoDB it refuses an item
over 400 KB, so size limits show up here as they would in AWS.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from botocore.exceptions import ClientError

MAX_ITEM_BYTES = 400 * 1024
_ADD = re.compile(r"(#\w+) (:\w+)")
_SET_IF_NOT_EXISTS = re.compile(r"(#\w+) = if_not_exists\((#\w+), (:\w+)\)")


def _key(key: dict[str, Any]) -> tuple[str, ...]:
    return tuple(f"{name}={value['S']}" for name, value in sorted(key.items()))


def attribute_bytes(name: str, value: dict[str, Any]) -> int:
    """DynamoDB's item size rules: name bytes plus value bytes (numbers ~1 byte per 2 digits)."""
    ((kind, raw),) = value.items()
    if kind == "N":
        digits = len(raw.lstrip("-").replace(".", "").strip("0")) or 1
        return len(name.encode()) + (digits + 1) // 2 + 1
    return len(name.encode()) + len(str(raw).encode())


def item_bytes(item: dict[str, Any]) -> int:
    return sum(attribute_bytes(name, value) for name, value in item.items())


class FakeDynamoDB:
    def __init__(self) -> None:
        self.tables: dict[str, dict[tuple[str, ...], dict[str, Any]]] = {}
        self.calls: list[str] = []
        self._sizes: dict[tuple[str, ...], int] = {}

    def _table(self, name: str) -> dict[tuple[str, ...], dict[str, Any]]:
        return self.tables.setdefault(name, {})

    @staticmethod
    def _resolve(names: dict[str, str], token: str) -> str:
        return names[token]

    @staticmethod
    def _check_size(size: int) -> None:
        if size > MAX_ITEM_BYTES:
            raise ClientError(
                {"Error": {"Code": "ValidationException", "Message": "Item size exceeded"}},
                "UpdateItem",
            )

    def update_item(self, **call: Any) -> dict[str, Any]:
        self.calls.append("UpdateItem")
        names, values = call["ExpressionAttributeNames"], call["ExpressionAttributeValues"]
        key = _key(call["Key"])
        stored = self._table(call["TableName"]).get(key, dict(call["Key"]))
        expression = call["UpdateExpression"]
        add_part, _, set_part = expression.partition(" SET ")
        if not add_part.startswith("ADD ") or call.get("ReturnValues") != "UPDATED_NEW":
            raise NotImplementedError(expression)
        # Only the touched attributes are copied: items here hold tens of thousands of them.
        changes: dict[str, Any] = {}
        for name_token, value_token in _ADD.findall(add_part[4:]):
            name = names[name_token]
            old = int(stored[name]["N"]) if name in stored else 0
            changes[name] = {"N": str(old + int(values[value_token]["N"]))}
        if set_part:
            match = _SET_IF_NOT_EXISTS.fullmatch(set_part)
            if match is None:
                raise NotImplementedError(set_part)
            name = names[match.group(1)]
            if name not in stored:
                changes[name] = values[match.group(3)]
        size = self._sizes[key] if key in self._sizes else item_bytes(stored)
        for name, value in changes.items():
            old_value = stored.get(name)
            size += attribute_bytes(name, value) - (
                attribute_bytes(name, old_value) if old_value else 0
            )
        self._check_size(size)
        stored.update(changes)
        self._table(call["TableName"])[key] = stored
        self._sizes[key] = size
        added = {names[token] for token, _ in _ADD.findall(add_part[4:])}
        return {"Attributes": {name: dict(changes[name]) for name in added}}

    def get_item(self, **call: Any) -> dict[str, Any]:
        self.calls.append("GetItem")
        item = self._table(call["TableName"]).get(_key(call["Key"]))
        if item is None:
            return {}
        projection = call.get("ProjectionExpression")
        if projection is not None:
            wanted = {call["ExpressionAttributeNames"][t.strip()] for t in projection.split(",")}
            item = {name: value for name, value in item.items() if name in wanted}
        return {"Item": copy.deepcopy(item)}

    def put_item(self, **call: Any) -> dict[str, Any]:
        self.calls.append("PutItem")
        item = call["Item"]
        key_names = {name for name in item if name in ("pk", "sk")}
        key = _key({name: item[name] for name in key_names})
        existing = self._table(call["TableName"]).get(key)
        condition = call.get("ConditionExpression")
        if condition == "attribute_not_exists(#pk) OR #ttl <= :now":
            ttl = call["ExpressionAttributeNames"]["#ttl"]
            now = int(call["ExpressionAttributeValues"][":now"]["N"])
            if existing is not None and not int(existing[ttl]["N"]) <= now:
                raise ClientError(
                    {"Error": {"Code": "ConditionalCheckFailedException"}, "Item": existing},
                    "PutItem",
                )
        elif condition is not None:
            raise NotImplementedError(condition)
        self._check_size(item_bytes(item))
        self._table(call["TableName"])[key] = copy.deepcopy(item)
        self._sizes.pop(key, None)
        return {}

    def items(self, table: str) -> list[dict[str, Any]]:
        return [copy.deepcopy(item) for item in self._table(table).values()]


class FakeS3:
    """get_object over a dict of key -> bytes, with botocore's NoSuchKey."""

    class exceptions:  # mirrors botocore's client.exceptions
        class NoSuchKey(Exception):
            pass

    def __init__(self, objects: dict[str, bytes]) -> None:
        self.objects = objects
        self.calls = 0

    def get_object(self, Bucket: str, Key: str) -> dict[str, Any]:
        self.calls += 1
        if Key not in self.objects:
            raise self.exceptions.NoSuchKey(Key)
        body = self.objects[Key]
        return {"Body": type("Body", (), {"read": lambda self: body})()}
