"""The Lambda functions of the API, declared once: name -> module holding `app` and the handler.

Packaging, the API description, the local gateway and Terraform all start from this mapping.
"""

FUNCTIONS: dict[str, str] = {
    "counter": "counter.handler",
    "resume": "resume.handler",
    "demo_trigger": "demo.trigger",
    "demo_destroy": "demo.destroy",
    "demo_status": "demo.status",
}
