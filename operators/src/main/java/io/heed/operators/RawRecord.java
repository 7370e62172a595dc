/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import java.util.Arrays;
import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;

/**
 * A record as it arrived from a source, before decoding: the value's bytes and where they came from. Sources (such as
 * the Kafka source in heed-flink-jobs) emit these so that undecodable values reach the dead-letter output byte for
 * byte, with their coordinates, instead of failing the job inside a deserializer.
 *
 * <p>A Flink POJO (public no-arg constructor, public fields) so Flink serialises it efficiently.
 */
@PublicEvolving
public class RawRecord {
    /** The record value exactly as received; may be null (e.g. a Kafka tombstone). */
    public byte[] payload;
    /** Source topic or stream name; null when unknown. */
    public String topic;

    public int partition = -1;
    public long offset = -1;
    /** Source timestamp (epoch ms), or -1 when unknown. */
    public long timestamp = -1;

    public RawRecord() {}

    public RawRecord(byte[] payload, String topic, int partition, long offset, long timestamp) {
        this.payload = payload;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
    }

    /** A record with no source coordinates, e.g. from a collection in tests. */
    public static RawRecord of(byte[] payload) {
        return new RawRecord(payload, null, -1, -1, -1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawRecord other
                && Arrays.equals(payload, other.payload)
                && Objects.equals(topic, other.topic)
                && partition == other.partition
                && offset == other.offset
                && timestamp == other.timestamp;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(payload), topic, partition, offset, timestamp);
    }

    @Override
    public String toString() {
        return "RawRecord{" + topic + "-" + partition + "@" + offset + ", "
                + (payload == null ? "null" : payload.length + " bytes") + "}";
    }
}
