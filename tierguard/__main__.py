import sys

from tierguard.cli import main

sys.exit(main())
