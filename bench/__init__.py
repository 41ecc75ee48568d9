"""`make bench`: figures for the quality bars. The benchmarks run the app as a development
machine does (generated keys, in-process limits and jobs): production refuses to start without
the settings every machine must share (config.py), which a benchmark on one machine has no use
for."""

import os

os.environ.setdefault("ENV_NAME", "development")
