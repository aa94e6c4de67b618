"""`python -m cloudfolio.local`: the local stack, for tests and tools that run it as a process."""

import argparse
import sys
from pathlib import Path

from cloudfolio.local.stack import StackConfig, run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--site-port", type=int, default=StackConfig.site_port)
    parser.add_argument("--api-port", type=int, default=StackConfig.api_port)
    parser.add_argument("--aws-port", type=int, default=StackConfig.aws_port)
    parser.add_argument("--output", type=Path, default=StackConfig.output)
    parser.add_argument("--content", type=Path, default=StackConfig.content)
    parser.add_argument("--state-dir", type=Path, default=StackConfig.state_dir)
    parser.add_argument("--no-watch", action="store_true", help="do not rebuild on edits")
    parser.add_argument(
        "--apply", action="store_true", help="apply infra with Terraform even if a recording fits"
    )
    args = parser.parse_args()
    config = StackConfig(
        site_port=args.site_port,
        api_port=args.api_port,
        aws_port=args.aws_port,
        output=args.output,
        content=args.content,
        state_dir=args.state_dir,
        watch=not args.no_watch,
        replay=not args.apply,
    )
    run(config, say=lambda line: print(line, flush=True, file=sys.stdout))


if __name__ == "__main__":
    main()
