"""mask_secrets against the corpus in data/masking_corpus.tsv, plus the behaviours around it."""

from __future__ import annotations

from pathlib import Path

import pytest
from demo import masking
from demo.masking import MASK, mask_secrets, register_known_secret, shannon_entropy

CORPUS = Path(__file__).parent / "data" / "masking_corpus.tsv"
ESCAPES = {"\\n": "\n", "\\r": "\r", "\\t": "\t", "\\x1b": "\x1b"}


def _unescape(field: str) -> str:
    for escaped, character in ESCAPES.items():
        field = field.replace(escaped, character)
    return field


def _cases(kind: str) -> list[pytest.param]:
    cases = []
    for number, line in enumerate(CORPUS.read_text().splitlines(), start=1):
        if not line or line.startswith("#"):
            continue
        fields = [_unescape(f) for f in line.split("\t")]
        if fields[0] == kind:
            cases.append(pytest.param(*fields[1:], id=f"line{number}"))
    return cases


MASK_CASES = _cases("mask")
KEEP_CASES = _cases("keep")


def test_the_corpus_is_broad() -> None:
    assert len(MASK_CASES) >= 100
    assert len(KEEP_CASES) >= 100


@pytest.mark.parametrize(("text", "expected"), MASK_CASES)
def test_secrets_are_masked_where_they_stand(text: str, expected: str) -> None:
    assert mask_secrets(text) == expected


@pytest.mark.parametrize("text", KEEP_CASES)
def test_look_alikes_are_left_alone(text: str) -> None:
    assert mask_secrets(text) == text


@pytest.fixture
def clean_registry():
    masking.forget_known_secrets()
    yield
    masking.forget_known_secrets()


def test_known_values_are_masked_wherever_they_appear(clean_registry) -> None:
    secret = "plain-words-are-not-random"
    text = f"echo {secret}; curl -d 'x={secret}' url?v=plain-words-are-not-random"
    assert mask_secrets(text, known=[secret]) == f"echo {MASK}; curl -d 'x={MASK}' url?v={MASK}"
    assert secret in mask_secrets(text)  # nothing else would have caught it


def test_registered_values_are_masked_in_later_calls(clean_registry) -> None:
    register_known_secret("s3rv1ce pass phrase")
    register_known_secret("abc")  # too short to mask without masking ordinary words
    assert mask_secrets("got s3rv1ce%20pass%20phrase and s3rv1ce pass phrase, abc") == (
        f"got {MASK} and {MASK}, abc"
    )


def test_a_multi_line_private_key_is_masked_as_one_block() -> None:
    body = "\n".join(["MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7" * 1] * 4)
    text = f"before\n-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----\nafter"
    assert mask_secrets(text) == f"before\n{MASK}\nafter"


def test_several_secrets_on_one_line_keep_what_lies_between() -> None:
    line = "user=alice password=hunter22 host=db token=ghp_" + "a1B2" * 9 + " port=5432"
    assert mask_secrets(line) == f"user=alice password={MASK} host=db token={MASK} port=5432"


def test_entropy_separates_random_values_from_words() -> None:
    assert shannon_entropy("aaaaaaaa") == 0
    assert shannon_entropy("index.html") < shannon_entropy("q8Z+r2Lm/Wk9Tx0Va7Yc")
    assert mask_secrets("key: configuration") == "key: configuration"
    assert mask_secrets("key: q8Z+r2Lm/Wk9Tx0Va7Yc") == f"key: {MASK}"


@pytest.mark.timeout(20)  # a pattern that backtracks badly would take far longer
def test_a_bounded_log_of_64_kb_is_masked_whole() -> None:
    line = "aws_s3_bucket.demo: Still creating... [10s elapsed] password=hunter22 " + "x" * 200
    log = "\n".join([line] * 300)
    masked = mask_secrets(log)
    assert "hunter22" not in masked
    assert masked.count(MASK) == 300


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\x1b[32mpassword=hunter22\x1b[0m done", f"\x1b[32mpassword={MASK}\x1b[0m done"),
        ("Authorization: Bearer abcdef123456789\x1b[0m", f"Authorization: Bearer {MASK}\x1b[0m"),
        ("\x1b[0Kjane@example.com\x1b[0m", f"\x1b[0K{MASK}\x1b[0m"),
    ],
)
def test_colour_codes_neither_hide_secrets_nor_get_masked(text: str, expected: str) -> None:
    assert mask_secrets(text) == expected
