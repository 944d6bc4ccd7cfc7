"""Runs seed programs against `dq serve` on localhost:9092 inside the current
(private) network namespace.

usage: in_netns.py DQ_BINARY DATA_DIR [--topic NAME] [--consumer PROGRAM.py] PRODUCER.py

Brings up loopback and starts the broker. With --topic, creates that topic
first. With --consumer, starts the consumer and waits until it is fetching
(the broker logs each request at trace level), runs the producer, waits for
the consumer's first line of output and prints it after the producer's
output, prefixed "consumer: ". Every program gets 60 s. The broker is stopped
with SIGTERM; the exit status is the first failure's.
"""

import argparse
import os
import queue
import signal
import subprocess
import sys
import threading

args = argparse.ArgumentParser()
args.add_argument("dq")
args.add_argument("data_dir")
args.add_argument("--topic")
args.add_argument("--consumer")
args.add_argument("producer")
opts = args.parse_args()

subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
broker = subprocess.Popen(
    [opts.dq, "serve", "--listen", "localhost:9092", "--data-dir", opts.data_dir,
     "--log-level", "info,dq::broker::dispatch=trace"],
    stdout=subprocess.PIPE,
    stderr=subprocess.PIPE,
    text=True,
)
for line in broker.stdout:
    if line.startswith("advertised as "):
        break
else:
    sys.exit(f"dq serve exited with {broker.wait()} before it was ready")

fetches = queue.Queue()


def watch_log():
    for line in broker.stderr:
        if "api=Fetch" in line:
            fetches.put(line)
        elif "request" not in line:
            sys.stderr.write(line)


threading.Thread(target=watch_log, daemon=True).start()


def fail(message):
    print(message, file=sys.stderr)
    broker.send_signal(signal.SIGTERM)
    broker.wait(timeout=30)
    sys.exit(1)


if opts.topic:
    from confluent_kafka.admin import AdminClient, NewTopic

    admin = AdminClient({"bootstrap.servers": "localhost:9092"})
    for future in admin.create_topics([NewTopic(opts.topic, 1, 1)]).values():
        future.result(timeout=60)

consumer = None
if opts.consumer:
    consumer = subprocess.Popen(
        [sys.executable, opts.consumer],
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
    )
    try:
        fetches.get(timeout=60)
    except queue.Empty:
        consumer.kill()
        fail(f"{opts.consumer} did not start fetching within 60 s")

try:
    status = subprocess.run([sys.executable, opts.producer], timeout=60).returncode
except subprocess.TimeoutExpired:
    status = 124
    print(f"{opts.producer} did not finish within 60 s", file=sys.stderr)
sys.stdout.flush()

if consumer is not None:
    lines = queue.Queue()
    threading.Thread(target=lambda: lines.put(consumer.stdout.readline()), daemon=True).start()
    try:
        first = lines.get(timeout=60)
        print(f"consumer: {first.rstrip()}", flush=True)
    except queue.Empty:
        print(f"{opts.consumer} printed nothing within 60 s", file=sys.stderr)
        status = status or 1
    consumer.kill()
    consumer.wait()

broker.send_signal(signal.SIGTERM)
if broker.wait(timeout=30) != 0:
    print(f"dq serve exited with {broker.returncode}", file=sys.stderr)
    status = status or 1
sys.exit(status)
