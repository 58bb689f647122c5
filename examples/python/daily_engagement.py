#!/usr/bin/python3
"""Print the daily engagement table of Community Pulse from the pulse.engagement.daily topic.

Reads the topic's keys and values through the Schema Registry wire format (byte 0, 4-byte schema id,
Avro binary) with confluent-kafka's AvroConsumer, keeps the latest value per community and day (the
topic is a changelog: a day is updated as its events arrive), and prints them as a pandas DataFrame.
It stops by itself once it has read every partition up to the end offsets it saw when it started.

Run it with Debian's interpreter, which sees the python3-confluent-kafka, python3-avro and
python3-pandas packages: /usr/bin/python3 daily_engagement.py --help
"""
import argparse
import sys
import time
import uuid

import pandas as pd
from confluent_kafka import KafkaError, KafkaException, TopicPartition
from confluent_kafka.avro import AvroConsumer

COLUMNS = ["communityId", "day", "threads", "replies", "answers", "comments", "reactions", "acceptedAnswers",
           "newMembers", "activeMembers", "events"]


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Print the daily engagement table of Community Pulse.")
    parser.add_argument("--bootstrap-servers", default="localhost:9092", help="Kafka bootstrap servers")
    parser.add_argument("--registry-url", default="http://localhost:8081/apis/ccompat/v7",
                        help="Confluent-compatible schema registry URL (the embedded registry's "
                             "/apis/ccompat/v7 base; Confluent's registry: its root URL)")
    parser.add_argument("--topic-prefix", default="pulse.", help="topic prefix (PULSE_TOPIC_PREFIX)")
    parser.add_argument("--community", help="only this community id")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds to wait for the end offsets before giving up")
    return parser.parse_args(argv)


def end_offsets(consumer, topic, timeout):
    """The high watermark of every partition of the topic, read once before consuming."""
    metadata = consumer.list_topics(topic, timeout=timeout)
    partitions = metadata.topics[topic]
    if partitions.error is not None:
        raise KafkaException(partitions.error)
    ends = {}
    for partition in sorted(partitions.partitions):
        _, high = consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=timeout)
        ends[partition] = high
    return ends


def read_latest(args):
    """Latest DailyEngagement value per (community, day), as dicts of Avro field values."""
    topic = args.topic_prefix + "engagement.daily"
    consumer = AvroConsumer({
        "bootstrap.servers": args.bootstrap_servers,
        "schema.registry.url": args.registry_url,
        # A throw-away group: partitions are assigned, never committed.
        "group.id": "pulse-example-" + uuid.uuid4().hex,
        "enable.auto.commit": False,
        # Exactly-once output: records of aborted or still open transactions are never final.
        "isolation.level": "read_committed",
        # End of partition is reported as an event, so the loop knows when it has caught up.
        "enable.partition.eof": True,
    })
    try:
        ends = end_offsets(consumer, topic, args.timeout)
        # An empty partition is read already; the others until they report their end at or past it.
        remaining = {p for p, end in ends.items() if end > 0}
        consumer.assign([TopicPartition(topic, p, 0) for p in remaining])
        latest = {}
        deadline = time.monotonic() + args.timeout
        while remaining:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{topic}: partitions {sorted(remaining)} did not reach their end offsets "
                                   f"{ {p: ends[p] for p in remaining} } within {args.timeout:.0f} s")
            message = consumer.poll(1.0)
            if message is None:
                continue
            if message.error():
                if message.error().code() == KafkaError._PARTITION_EOF:
                    # Commit markers take offsets too, so the committed end can equal the high watermark.
                    if message.offset() >= ends[message.partition()]:
                        remaining.discard(message.partition())
                    continue
                raise KafkaException(message.error())
            key = message.key()
            if args.community and key["communityId"] != args.community:
                continue
            if message.value() is None:
                # A tombstone: the day was removed (compacted topics delete by key).
                latest.pop((key["communityId"], key["day"]), None)
            else:
                latest[(key["communityId"], key["day"])] = message.value()
        return latest
    finally:
        consumer.close()


def table(latest):
    frame = pd.DataFrame([{column: value[column] for column in COLUMNS} for value in latest.values()],
                         columns=COLUMNS)
    return frame.sort_values(["communityId", "day"]).reset_index(drop=True)


def main(argv):
    args = parse_args(argv)
    try:
        frame = table(read_latest(args))
    except (KafkaException, TimeoutError) as error:
        print(f"daily_engagement: {error}", file=sys.stderr)
        return 2
    if frame.empty:
        print("no daily engagement records" + (f" for {args.community}" if args.community else ""))
        return 0
    print(frame.to_string(index=False))
    print(f"{len(frame)} days, {frame['communityId'].nunique()} communities, "
          f"{frame['events'].sum()} events", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
