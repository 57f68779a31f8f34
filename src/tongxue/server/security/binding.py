"""Where the server may listen: without API keys, only on loopback."""

from __future__ import annotations

import ipaddress


class BindingError(RuntimeError):
    """The server was asked to listen somewhere it must not."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_binding(host: str, *, has_keys: bool) -> None:
    """Refuse a non-loopback address when no key protects the server."""
    if not has_keys and not is_loopback(host):
        raise BindingError(
            f"refusing to listen on {host} without API keys: anyone on the network could "
            "control the car. Add a key with `tongxue keys add --role car --user NAME`, "
            "or listen on 127.0.0.1."
        )
