"""The local stack: an AWS emulator, an API gateway and a static server on one machine."""
