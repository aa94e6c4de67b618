"""Secrets out of pipeline logs: `mask_secrets(text)` replaces each one with `[MASKED]`.

Three kinds of evidence find a secret:
- its format: provider tokens with a recognisable prefix (AWS, GitHub, GitLab, Slack, Stripe,
  Google, Terraform Cloud, ...), JWTs, PEM private keys, AWS session tokens;
- its context: `password=...`, `"token": "..."`, `--secret ...`, credentials in URLs, Bearer and
  Basic headers; values behind words that only sometimes name a secret (`key`, `auth`,
  `credential`) must also look random (Shannon entropy);
- its exact value: the secrets the platform itself holds (`register_known_secret`, or `known=`).

Look-alikes stay: digests, commit SHAs, UUIDs, ARNs, resource and request ids, `${VAR}` and other
references, values already masked, public keys and certificates, ordinary URLs and Terraform's
plan lines. Pass a whole log, not single lines: a PEM block spans lines, and a BEGIN line without
its END masks everything after it.

Every match is collected as a span of the original text first and the spans are replaced once, so
one rule never sees another's `[MASKED]`.

Several token patterns (marked "gitleaks") are ported to Python `re` from gitleaks'
config/gitleaks.toml (https://github.com/gitleaks/gitleaks), which carries this notice:

    MIT License

    Copyright (c) 2019 Zachary Rice

    Permission is hereby granted, free of charge, to any person obtaining a copy
    of this software and associated documentation files (the "Software"), to deal
    in the Software without restriction, including without limitation the rights
    to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
    copies of the Software, and to permit persons to whom the Software is
    furnished to do so, subject to the following conditions:

    The above copyright notice and this permission notice shall be included in all
    copies or substantial portions of the Software.

    THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
    IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
    FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
    AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
    LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
    OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
    SOFTWARE.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from urllib.parse import quote

MASK = "[MASKED]"
# Shorter known values would mask ordinary words; secrets the platform holds are far longer.
MIN_KNOWN_LENGTH = 6
# Values behind an ambiguous key word must look random to count as secrets.
MIN_ENTROPY_BITS = 3.0
MIN_WEAK_VALUE_LENGTH = 10

_known: set[str] = set()


def register_known_secret(value: str | None) -> None:
    """Mask this exact value in every later `mask_secrets` call of this process."""
    if value and len(value) >= MIN_KNOWN_LENGTH:
        _known.add(value)


def forget_known_secrets() -> None:
    _known.clear()


# Where a match ends: gitleaks' `(?:[\x60'"\s;]|\\[nr]|$)`, as a lookahead.
_END = r"(?=[`'\"\s;,)\]}<>|&]|\\[nrt\"]|$)"
_START = r"(?<![\w-])"

# (name, pattern, group): the group's span is what gets masked (0 = the whole match).
_FORMAT_RULES: list[tuple[str, str, int]] = [
    # PEM private keys (gitleaks private-key, widened to reach the END line or, when the log was
    # cut, the end of the text).
    (
        "private-key",
        r"-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----"
        r"(?:[\s\S]*?-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----|[\s\S]*\Z)",
        0,
    ),
    ("putty-private-key", r"PuTTY-User-Key-File-\d:[\s\S]*?Private-MAC: *[0-9a-fA-F]+", 0),
    # AWS (gitleaks aws-access-token), then a secret key right after an access key id (CSV
    # credential files, `aws configure list` rows), then STS session tokens by their prefix.
    # Real ids use base32 ([A-Z2-7]); AWS's own documentation examples do not, so neither do we.
    ("aws-access-key-id", r"\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})\b", 1),
    (
        "aws-secret-after-key-id",
        r"\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b[^\n]{1,40}?"
        r"(?<![A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
        1,
    ),
    (
        "aws-session-token",
        r"\b((?:IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz|IQoDYXdz)[A-Za-z0-9/+=]{40,})",
        1,
    ),
    ("aws-bedrock-key", r"\b(ABSK[A-Za-z0-9+/]{109,269}={0,2})" + _END, 1),  # gitleaks
    # GitHub (gitleaks github-pat, -oauth, -app-token, -refresh-token, -fine-grained-pat).
    ("github-token", r"\b(gh[pousr]_[0-9A-Za-z]{30,255})\b", 1),
    ("github-fine-grained-pat", r"\b(github_pat_[0-9A-Za-z_]{40,255})\b", 1),
    # GitLab (gitleaks gitlab-*): personal, deploy, runner, trigger, CI job, feed, incoming
    # mail, agent, OAuth, SCIM, feature flag tokens, incl. the routable `.01.xxxxxxx` forms,
    # and runner registration tokens.
    (
        "gitlab-token",
        r"\b((?:glpat|gldt|glrt|glrtr|glptt|glcbt|glft|glimt|glagent|gloas|glffct|glsoat|glwt"
        r"|gloat|glimpt)-[0-9A-Za-z_-]{20,300}(?:\.[0-9a-z]{2,9}){0,2})\b",
        1,
    ),
    ("gitlab-runner-registration", r"\b(GR1348941[\w-]{20,})\b", 1),
    ("gitlab-session-cookie", r"_gitlab_session=([0-9a-z]{32})", 1),
    # Slack (gitleaks slack-*): bot, user, app, config and legacy tokens, webhooks.
    ("slack-token", r"\b(xox[abposre]-(?:\d+-)?[0-9A-Za-z-]{10,250})", 1),
    ("slack-app-token", r"(?i)\b(xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+)", 1),
    ("slack-config-token", r"(?i)\b(xoxe(?:\.xox[bp])?-\d-[A-Z0-9]{140,170})", 1),
    (
        "slack-webhook",
        r"hooks\.slack\.com/(?:services|workflows|triggers)/([A-Za-z0-9+/_-]{20,})",
        1,
    ),
    ("discord-webhook", r"discord(?:app)?\.com/api/webhooks/(\d+/[\w-]{20,})", 1),
    # JWTs (gitleaks jwt; the header may also hold - and _), signed or not.
    (
        "jwt",
        r"\b(ey[A-Za-z0-9_-]{15,}\.ey[A-Za-z0-9_/\\-]{15,}\.(?:[A-Za-z0-9_/\\-]{10,}={0,2})?)",
        1,
    ),
    # Stripe (gitleaks stripe-access-token, plus publishable keys and webhook secrets).
    ("stripe-key", r"\b((?:sk|rk|pk)_(?:test|live|prod)_[0-9A-Za-z]{10,99})" + _END, 1),
    ("stripe-webhook-secret", r"\b(whsec_[0-9A-Za-z]{24,})", 1),
    # Google (gitleaks gcp-api-key), OAuth client secrets and access tokens.
    ("google-api-key", r"\b(AIza[\w-]{33,40})" + _END, 1),
    ("google-oauth-secret", r"\b(GOCSPX-[\w-]{20,})", 1),
    ("google-oauth-token", r"\b(ya29\.[\w-]{20,})", 1),
    # Terraform Cloud / Enterprise (gitleaks hashicorp-tf-api-token) and Vault tokens.
    ("terraform-cloud-token", r"(?i)\b([a-z0-9]{14}\.(?-i:atlasv1)\.[a-z0-9_=-]{60,70})", 1),
    ("vault-token", r"\b(hv[sbr]\.[\w-]{24,})", 1),
    # More prefixed tokens a CI log may show (all gitleaks).
    ("npm-token", r"(?i)\b(npm_[a-z0-9]{36})" + _END, 1),
    ("pypi-token", r"\b(pypi-AgEIcHlwaS5vcmc[\w-]{50,1000})", 1),
    ("sendgrid-key", r"\b(SG\.[\w=.-]{66})" + _END, 1),
    ("digitalocean-token", r"\b(do[opr]_v1_[a-f0-9]{64})" + _END, 1),
    ("huggingface-token", r"\b(hf_[A-Za-z]{34})" + _END, 1),
    ("anthropic-key", r"\b(sk-ant-(?:api|admin)\d\d-[\w-]{80,120})", 1),
    (
        "openai-key",
        r"\b(sk-(?:proj|svcacct|admin)-[\w-]{40,200}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})",
        1,
    ),
    ("shopify-token", r"\b(shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})", 1),
    ("linear-key", r"(?i)\b(lin_api_[a-z0-9]{40})", 1),
    ("pulumi-token", r"\b(pul-[a-f0-9]{40})" + _END, 1),
    ("postman-key", r"(?i)\b(PMAK-[a-f0-9]{24}-[a-f0-9]{34})" + _END, 1),
    ("databricks-token", r"\b(dapi[a-f0-9]{32}(?:-\d)?)" + _END, 1),
    ("grafana-token", r"\b(gl(?:sa|c)_[A-Za-z0-9+/_]{32,400}={0,3})" + _END, 1),
    ("doppler-token", r"\b(dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44})", 1),
    ("age-secret-key", r"\b(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})", 1),
    ("heroku-key", r"\b(HRKU-AA[0-9A-Za-z_-]{58})" + _END, 1),
    ("atlassian-token", r"\b(ATATT3[A-Za-z0-9_=-]{186})" + _END, 1),
    ("twilio-key", r"\b(SK[0-9a-fA-F]{32})\b", 1),
    (
        "azure-client-secret",
        r"(?:^|[\\'\"`\s>=:(,)])([A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?=$|[\\'\"`\s<),])",
        1,
    ),
    ("azure-storage-key", r"(?i)\b(?:AccountKey|SharedAccessKey)=([A-Za-z0-9+/]{20,}={0,2})", 1),
]

# Credentials in URLs: the password of `scheme://user:password@host`, and a token given as the
# only userinfo of an https URL is caught by its format above.
_URL_PASSWORD = r"\b[a-zA-Z][a-zA-Z0-9+.-]{1,20}://[^\s:/@'\"]*:([^\s@/'\"]+)@[\w.-]"
# Query parameters that carry credentials (presigned S3 / SAS URLs, OAuth redirects).
_URL_QUERY = (
    r"(?i)[?&](?:x-amz-signature|x-amz-security-token|x-amz-credential|x-goog-signature"
    r"|x-goog-credential|awsaccesskeyid|signature|sig|token|access_token|refresh_token|id_token"
    r"|api_key|apikey|client_secret|private_token|password|passwd|secret|auth)"
    r"=([^&\s'\"#<>]+)"
)
# Authorization headers: everything after the scheme word is the credential.
_AUTHORIZATION = (
    r"(?i)\b(?:proxy-)?authorization\\?[\"']?\s*[:=]\s*\\?[\"']?"
    r"(?:(?:bearer|basic|token|digest|negotiate|bot|sso-key|aws4-hmac-sha256|apikey)\s+)?"
    r"([^\s\"'\\][^\"'\\\n]*?)(?=\\?[\"']|\s*$)"
)
_BEARER = r"\b(?i:bearer|basic)\s+((?![a-z]+\b)[A-Za-z0-9\-._~+/]{8,}=*)" + _END
# A password on a command line: `docker login -p ...`, `mysql -pSECRET`, .netrc lines.
_CLI_PASSWORD = (
    r"(?:\blogin\b[^\n]*?\s-p\s+([^\s-]\S*)"
    r"|\bmysql(?:admin|dump)?\b[^\n]*?\s-p([^\s-]\S*)"
    r"|\blogin\s+\S+\s+password\s+(\S+)"
    r"|(?:\s-u|--user)[ =][^\s:'\"]+:([^\s'\"]+)"
    r"|\baws\s+configure\s+set\s+\S*(?:secret|token|password)\S*\s+(\S+))"
)
# Cookie headers: every value is a session credential.
_COOKIE_LINE = re.compile(r"(?i)\b(?:set-)?cookie\s*:[^\n]*")
_COOKIE_PAIR = re.compile(r"(?:^|[:;,]\s*)[\w.$-]+=([^;,\s\"']{8,})")
# <password>value</password> and friends.
_XML_ELEMENT = (
    r"(?i)<((?:\w+[_-]?)?(?:password|passwd|secret|token|apikey|api_key))>([^<\s][^<]*)</\1>"
)

# Generic assignments: a key, a separator, a value. The key is judged by its words below.
_KEY = r"(?P<flag>--)?(?P<key>[A-Za-z_][\w.-]{0,80})"
_ASSIGNMENT = re.compile(
    r"(?<![\w.$-])(?P<kq>\\?[\"']?)" + _KEY + r"(?P=kq)"
    r"(?P<sep>\s*(?::=|=>|=|:)\s*|(?(flag)[ \t]+|(?!)))"
    r"(?:\\\"(?P<v1>[^\n]*?)\\\"|\"(?P<v2>(?:[^\"\\\n]|\\.)*)\"|'(?P<v3>[^'\n]*)'"
    r"|(?P<v4>[^\s\"'`,;&<>(){}\[\]\\\x00-\x1f]+))"
)
_EMAIL = re.compile(
    r"(?:(?<=mailto:)|(?<![^\s<(\"'=,;\[]))([A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]{1,63}"
    r"(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24})\b(?!@)"
)

# Key words (lower case) that always name a secret, alone or at the end of a longer word
# (`dbpassword`, `accesstoken`), and pairs of words that do (`api key`, `client secret`).
_STRONG_SUFFIXES = ("password", "passwd", "passphrase", "secret", "token", "apikey", "pwd")
_STRONG_WORDS = {"authorization", "privatekey", "accesskey", "pass", "pw"}
_KEY_QUALIFIERS = {
    "api", "access", "secret", "private", "master", "encryption", "signing", "account",
    "shared", "storage", "service", "license", "app", "application", "client", "consumer",
    "webhook", "deploy", "sas", "admin", "auth", "session", "subscription", "hmac", "jwt",
}  # fmt: skip
# Words that name a secret only sometimes: the value must look random too.
_WEAK_WORDS = {"key", "auth", "credential", "credentials", "creds", "sig", "signature"}
# A key whose last word is one of these names something about a secret, not the secret itself.
_EXCLUDED_LAST = {
    "id", "ids", "arn", "arns", "name", "names", "url", "uri", "urls", "path", "paths", "file",
    "files", "dir", "type", "types", "count", "length", "len", "size", "ttl", "expiry", "expires",
    "expiration", "at", "in", "version", "versions", "endpoint", "enabled", "disabled", "prefix",
    "suffix", "header", "field", "env", "var", "variable", "method", "mode", "hash", "policy",
    "rotation", "kind", "format", "role", "region", "pattern", "label", "description", "manager",
    "store", "provider", "service", "backend", "source", "location", "ref", "refs", "reference",
    "required", "timeout", "lifetime", "used", "usage", "limit", "algorithm", "alg", "scope",
    "scopes", "fingerprint", "status", "state", "hint", "strategy", "rule", "rules", "digest",
    "sha", "sha256", "checksum", "etag", "mask", "masked", "placeholder", "template", "policies",
    "permissions", "permission", "keyid", "host", "port", "user", "username", "login", "email",
    "owner", "account", "index", "table", "bucket", "arg", "process", "command", "helper",
    "program", "script", "plugin",
}  # fmt: skip
# Keys holding any of these words are cursors, counters or public material.
_EXCLUDED_ANYWHERE = {
    "public", "next", "continuation", "pagination", "page", "idempotency", "cursor", "max",
    "min", "num", "total", "input", "output", "prompt", "completion", "partition", "sort",
    "range", "primary", "foreign", "cache", "object", "s3", "hash", "kms", "ssh", "gpg",
    "pgp", "csrf", "xsrf", "request", "sync", "no", "has", "is", "should", "use", "without",
    "expected", "missing", "invalid", "old", "previous", "display",
}  # fmt: skip
# Values that say there is no secret here.
_NOT_SECRET_VALUES = {
    "true", "false", "null", "none", "nil", "undefined", "yes", "no", "on", "off", "read",
    "write", "inherit", "required", "optional", "string", "str", "bool", "boolean", "int",
    "integer", "number", "secret", "secrets", "password", "token", "redacted", "masked",
    "hidden", "filtered", "removed", "omitted", "sensitive", "empty", "unset", "notset",
    "invalid", "expired", "missing", "revoked", "valid", "present", "set", "found", "ok",
    "error", "denied", "default", "auto", "env", "environment", "file", "stdin", "prompt",
    "bearer", "basic", "example", "placeholder", "your-token", "your_token", "<token>",
    "xxx", "n/a", "na", "tbd", "todo", "dummy", "pending", "ready", "enabled", "disabled",
    "public", "private", "write-all", "read-all", "bot", "digest", "negotiate", "creating...",
    "destroying...", "reading...",
}  # fmt: skip
_MASKED_VALUE = re.compile(
    r"(?i)^(?:\[?(?:masked|redacted|hidden|filtered|removed|secure|sensitive)\]?|<[^>]*>"
    r"|[*•xX#.]{3,}|\(sensitive(?: value)?\)|\(known after apply\)|\**\[masked\]\**)$"
)
# `$VAR`, `${VAR}`, `${{ secrets.X }}`, `{{ .Token }}`, `%VAR%`, `$(cmd)`, `@Microsoft.KeyVault(`,
# `{{resolve:secretsmanager:...}}`, `env:VAR`, Terraform/code references (`var.x`, `os.environ`).
_REFERENCE_VALUE = re.compile(
    r"^(?:\$\{?[\w.{} ]|\$\(|\{\{|\{%|%[\w(]|#\{|<%|@Microsoft\.KeyVault|![A-Za-z]|env:|"
    r"(?:var|local|data|module|each|self|count|secrets|vars|inputs|env|process\.env|os\.environ"
    r"|config|settings|params|args|props|this)\.)"
)
_PREFIXED_DIGEST = re.compile(r"(?i)^(?:md5|sha1|sha224|sha256|sha384|sha512)[:=][0-9a-f]{32,128}$")
_DOTTED_IDENTIFIER = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+(?:\(\)?)?$")
_HEX_DIGEST = re.compile(
    r"^(?:[a-f0-9]{7,12}|[a-f0-9]{32}|[a-f0-9]{40}|[a-f0-9]{56}|[a-f0-9]{64}|[a-f0-9]{96}|[a-f0-9]{128})$",
    re.I,
)
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_PUBLIC_MATERIAL = re.compile(
    r"^(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-|sk-ssh-|sk-ecdsa-|-----BEGIN (?:PUBLIC KEY|"
    r"CERTIFICATE|RSA PUBLIC KEY|PGP PUBLIC|OPENSSH PUBLIC|SSH2 PUBLIC)"
    r"|MII[BCDE]I[jC]ANBgkqhkiG9w0BAQEFAAOC)"
)
_HAS_DIGIT_OR_SYMBOL = re.compile(r"[\d_+/=!@#%^&*~-]")
_SLUG = re.compile(r"[a-z0-9]+(?:[-._:][a-z0-9]+)+")
_PATH = re.compile(r"(?:~|\.{1,2})?/?[\w.-]+(?:/[\w.-]+)+/?")
_LOWER_PATH = re.compile(r"(?:~|\.{1,2})?/?[a-z0-9._-]+(?:/[a-z0-9._-]+)+/?")
_RANDOM_SEGMENT = re.compile(r"^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)")
# An Authorization value's scheme word stays readable: `Bearer [MASKED]`.
_AUTH_SCHEME = re.compile(
    r"(?i)^(?:bearer|basic|token|bot|digest|negotiate|sso-key|aws4-hmac-sha256|apikey)\s+"
)
# Terraform's progress lines (`aws_secretsmanager_secret.token: Creating...`) and resource
# addresses look like `key: value`.
_TERRAFORM_ADDRESS = re.compile(
    r"^(?:module\.[\w-]+(?:\[[^\]]*\])?\.)*(?:data\.)?[a-z0-9]+_[a-z0-9_]+\.[\w-]+(?:\[[^\]]*\])?$"
)

_ANSI_ESCAPE = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?)")

# Spans no heuristic rule may touch: ARNs, references and values already masked.
_PROTECTED = re.compile(
    r"\barn:aws[\w-]*:[\w-]+:[\w-]*:\d{0,12}:[^\s\"',;)\]}]+"
    r"|\$\{\{[^}]*\}\}|\$\{[^}\n]*\}|\[MASKED\]|\*{3,}|\bsha(?:1|256|384|512):[a-fA-F0-9]{32,128}\b"
)

_COMPILED_FORMAT_RULES = [
    (name, re.compile(pattern), group) for name, pattern, group in _FORMAT_RULES
]
_HEURISTIC_RULES = [
    ("url-password", re.compile(_URL_PASSWORD), (1,)),
    ("url-query-credential", re.compile(_URL_QUERY), (1,)),
    ("authorization-header", re.compile(_AUTHORIZATION), (1,)),
    ("bearer-or-basic", re.compile(_BEARER), (1,)),
    ("cli-password", re.compile(_CLI_PASSWORD), (1, 2, 3, 4, 5)),
    ("xml-element", re.compile(_XML_ELEMENT), (2,)),
]


def shannon_entropy(value: str) -> float:
    """Bits per character of the value's own character distribution."""
    if not value:
        return 0.0
    counts = Counter(value)
    total = len(value)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def _key_words(key: str) -> list[str]:
    key = key.lstrip("-")
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", key)
    return [word for word in re.split(r"[\s_.\-]+", spaced.lower()) if word]


def _key_strength(key: str) -> str | None:
    """'strong' when the key names a secret, 'weak' when it may, None when it does not."""
    if _TERRAFORM_ADDRESS.match(key):
        return None
    words = _key_words(key)
    if not words or words[-1] in _EXCLUDED_LAST or _EXCLUDED_ANYWHERE.intersection(words):
        return None
    for index, word in enumerate(words):
        if word.endswith(_STRONG_SUFFIXES) or word in _STRONG_WORDS:
            return "strong"
        if word in {"key", "keys"} and index and words[index - 1] in _KEY_QUALIFIERS:
            return "strong"
        if word == "auth" and index + 1 < len(words) and words[index + 1] in {"key", "code"}:
            return "strong"
    if _WEAK_WORDS.intersection(words):
        return "weak"
    return None


def _looks_like_no_secret(value: str) -> bool:
    stripped = value.strip()
    lowered = stripped.lower()
    return (
        not stripped
        or lowered in _NOT_SECRET_VALUES
        or bool(_MASKED_VALUE.match(stripped))
        or bool(_REFERENCE_VALUE.match(stripped))
        or bool(_PUBLIC_MATERIAL.match(stripped))
        or lowered.startswith(("arn:", "http://", "https://", "file://", "s3://"))
        or "***" in stripped  # partly masked already: `ghp_****1a2b`
        or MASK in stripped
        or bool(_PREFIXED_DIGEST.match(stripped))
        or (stripped.isdigit() and len(stripped) < 6)
    )


def _is_path(value: str) -> bool:
    """Object keys and file paths: slash-separated, no segment mixing cases and digits."""
    return bool(_PATH.fullmatch(value)) and not any(
        _RANDOM_SEGMENT.match(segment) for segment in value.split("/")
    )


def _is_secret_value(value: str, strength: str, quoted: bool) -> bool:
    if _looks_like_no_secret(value):
        return False
    if not quoted and _DOTTED_IDENTIFIER.match(value):
        return False  # `token = self.token`, `password: config.db_password`
    if strength == "strong":
        # Secret names and file paths (`cloudfolio/demo/token`, `/run/secrets/db`) are not secrets.
        path_like = value.startswith(("/", "./", "~/")) or value.count("/") >= 2
        return len(value) >= 3 and not (path_like and _LOWER_PATH.fullmatch(value))
    return (
        len(value) >= MIN_WEAK_VALUE_LENGTH
        and not _HEX_DIGEST.match(value)
        and not _UUID.match(value)
        and not _is_path(value)
        and " " not in value.strip()
        and _looks_random(value)
    )


def _looks_random(value: str) -> bool:
    """Random material mixes character classes; names and versions are lower-case slugs."""
    if _SLUG.fullmatch(value):
        return False  # `oidc-github`, `v1.2.3-beta`, `cloudfolio-demo-3f2a9c1e`
    classes = sum(
        bool(re.search(pattern, value)) for pattern in (r"[a-z]", r"[A-Z]", r"\d", r"[^A-Za-z\d]")
    )
    return (
        shannon_entropy(value) >= MIN_ENTROPY_BITS
        and bool(_HAS_DIGIT_OR_SYMBOL.search(value))
        and (classes >= 3 or (classes >= 2 and len(value) >= 20))
    )


def _assignment_spans(text: str) -> Iterator[tuple[int, int]]:
    for match in _ASSIGNMENT.finditer(text):
        key = match.group("key")
        strength = _key_strength(key)
        if strength is None:
            continue
        for group in ("v1", "v2", "v3", "v4"):
            value = match.group(group)
            if value is not None:
                start = match.start(group)
                scheme = _AUTH_SCHEME.match(value)
                if scheme:
                    start, value = start + scheme.end(), value[scheme.end() :]
                if group == "v4" and text.startswith("(", start + len(value)):
                    break  # a function call: `jsonencode({...})`, `getenv("X")`
                if _is_secret_value(value, strength, quoted=group != "v4"):
                    yield start, start + len(value)
                break


def _cookie_spans(text: str) -> Iterator[tuple[int, int]]:
    for line in _COOKIE_LINE.finditer(text):
        header = line.group()
        for pair in _COOKIE_PAIR.finditer(header, header.index(":")):
            if not _looks_like_no_secret(pair.group(1)):
                yield line.start() + pair.start(1), line.start() + pair.end(1)


def _known_spans(text: str, known: Iterable[str]) -> Iterator[tuple[int, int]]:
    values = {v for v in (*_known, *known) if v and len(v) >= MIN_KNOWN_LENGTH}
    variants = values | {quote(v, safe="") for v in values}
    for value in sorted(variants, key=len, reverse=True):
        start = text.find(value)
        while start != -1:
            yield start, start + len(value)
            start = text.find(value, start + 1)


def _inside(span: tuple[int, int], protected: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in protected)


def secret_spans(text: str, known: Iterable[str] = ()) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) spans of every secret in text."""
    spans: list[tuple[int, int]] = list(_known_spans(text, known))
    # Colour codes glue onto keys and values (`\x1b[32mpassword=...`): the rules read a copy where
    # each escape is blanked out with as many spaces, so every span still fits the original.
    text = _ANSI_ESCAPE.sub(lambda escape: " " * len(escape.group()), text)
    for _name, pattern, group in _COMPILED_FORMAT_RULES:
        spans += [m.span(group) for m in pattern.finditer(text) if m.group(group)]
    protected = [m.span() for m in _PROTECTED.finditer(text)]
    heuristic: list[tuple[int, int]] = []
    for _name, pattern, groups in _HEURISTIC_RULES:
        for match in pattern.finditer(text):
            for group in groups:
                value = match.group(group)
                if value and not _looks_like_no_secret(value):
                    heuristic.append(match.span(group))
    heuristic += _assignment_spans(text)
    heuristic += _cookie_spans(text)
    heuristic += [m.span(1) for m in _EMAIL.finditer(text) if not m.group(1).startswith("git@")]
    spans += [span for span in heuristic if not _inside(span, protected)]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def mask_secrets(text: str, known: Iterable[str] = ()) -> str:
    """text with every secret replaced by `[MASKED]`; everything else is kept as it was.

    known: exact secret values to mask besides the registered ones (`register_known_secret`).
    """
    if not text:
        return text
    pieces = []
    position = 0
    for start, end in secret_spans(text, known):
        pieces.append(text[position:start])
        pieces.append(MASK)
        position = end
    pieces.append(text[position:])
    return "".join(pieces)
