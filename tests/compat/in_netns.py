"""Runs a program against `dq serve` on localhost:9092 inside the current
(private) network namespace.

usage: in_netns.py DQ_BINARY DATA_DIR PROGRAM.py

Brings up loopback, starts the broker, waits for its "advertised as" line,
runs the program with this interpreter (60 s limit), stops the broker with
SIGTERM, and exits with the program's status. The broker's log goes to stderr.
"""

import signal
import subprocess
import sys

dq, data_dir, program = sys.argv[1:4]
subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
broker = subprocess.Popen(
    [dq, "serve", "--listen", "localhost:9092", "--data-dir", data_dir],
    stdout=subprocess.PIPE,
    text=True,
)
for line in broker.stdout:
    if line.startswith("advertised as "):
        break
else:
    sys.exit(f"dq serve exited with {broker.wait()} before it was ready")
try:
    status = subprocess.run([sys.executable, program], timeout=60).returncode
except subprocess.TimeoutExpired:
    print(f"{program} did not finish within 60 s", file=sys.stderr)
    status = 124
broker.send_signal(signal.SIGTERM)
if broker.wait(timeout=30) != 0:
    print(f"dq serve exited with {broker.returncode}", file=sys.stderr)
    status = status or 1
sys.exit(status)
