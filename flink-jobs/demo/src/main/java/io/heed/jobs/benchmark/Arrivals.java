/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs.benchmark;

import java.util.Arrays;

/**
 * Where benchmark sinks report each record's arrival. The jobs run in a MiniCluster inside the benchmark's own JVM
 * (same class loader), so a static collector is the simplest honest clock: every time is taken in this process.
 */
final class Arrivals {
    private static final Object LOCK = new Object();
    private static long[] arrivalNanos = new long[0];
    private static long[] latencyMillis = new long[0];
    private static int count;

    private Arrivals() {}

    static void reset(int expected) {
        synchronized (LOCK) {
            arrivalNanos = new long[expected];
            latencyMillis = new long[expected];
            count = 0;
        }
    }

    /** Records one arrival, now, of a record created (at the source) at {@code createdAtMillis}. */
    static void record(long createdAtMillis) {
        record(createdAtMillis, System.nanoTime());
    }

    /**
     * Records one arrival, now, of a record created at {@code createdAtMillis}, counting it for throughput as done at
     * {@code doneNanos} instead (any clock, as long as one run uses one).
     */
    static void record(long createdAtMillis, long doneNanos) {
        long now = doneNanos;
        long latency = System.currentTimeMillis() - createdAtMillis;
        synchronized (LOCK) {
            if (count == arrivalNanos.length) {
                arrivalNanos = Arrays.copyOf(arrivalNanos, Math.max(16, count * 2));
                latencyMillis = Arrays.copyOf(latencyMillis, Math.max(16, count * 2));
            }
            arrivalNanos[count] = now;
            latencyMillis[count] = latency;
            count++;
        }
    }

    static int count() {
        synchronized (LOCK) {
            return count;
        }
    }

    /**
     * Steady-state records per second: arrivals after the first tenth, over the time they took. Skipping the first
     * tenth leaves out job start, model load and the first (all-at-once) batch, so the figure is what the pipeline
     * sustains once running.
     */
    static double recordsPerSecond() {
        synchronized (LOCK) {
            return steadyRate(Arrays.copyOf(arrivalNanos, count));
        }
    }

    static double steadyRate(long[] nanos) {
        if (nanos.length < 10) {
            throw new IllegalStateException("Too few arrivals to measure: " + nanos.length);
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int skip = sorted.length / 10;
        double seconds = (sorted[sorted.length - 1] - sorted[skip]) / 1e9;
        return (sorted.length - 1 - skip) / Math.max(seconds, 1e-9);
    }

    /** Latency percentile (0-100) over arrivals after the first tenth (start-up excluded), in milliseconds. */
    static long latencyPercentile(double percentile) {
        synchronized (LOCK) {
            long[] steady = Arrays.copyOfRange(latencyMillis, count / 10, count);
            Arrays.sort(steady);
            int index = (int) Math.ceil(percentile / 100.0 * steady.length) - 1;
            return steady[Math.max(0, Math.min(index, steady.length - 1))];
        }
    }
}
