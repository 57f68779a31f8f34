"""`python -m tongxue.server`: serve with the settings from `TONGXUE_*` environment variables."""

from __future__ import annotations

import logging
import sys

from tongxue.config import Settings
from tongxue.server.runner import serve
from tongxue.server.security.binding import BindingError


def main() -> int:
    settings = Settings()
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        serve(settings, use_llm="--no-llm" not in sys.argv[1:])
    except BindingError as exc:
        logging.getLogger("tongxue.server").error("%s", exc)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
