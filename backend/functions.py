"""The Lambda functions, declared once: name -> module holding the handler (and `app`, the
resolver, for the functions that serve routes; scheduled ones have none).

Packaging, the API description, the local gateway and Terraform all start from this mapping.
"""

FUNCTIONS: dict[str, str] = {
    "counter": "counter.handler",
    "resume": "resume.handler",
    "demo_trigger": "demo.trigger",
    "demo_destroy": "demo.destroy",
    "demo_status": "demo.status",
    "demo_cleanup": "demo.cleanup",
    "salt_purge": "salt_purge.handler",
}
