/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;

/**
 * Batches run on the model's own thread and come back as mail to the task; a test harness has no mailbox loop, so
 * tests run the mail themselves.
 */
final class TaskMail {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private TaskMail() {}

    /** Runs the harness's mail until {@code done}; fails with {@code whyNot} after 60 s. Mail that throws, throws. */
    static void runUntil(AbstractStreamOperatorTestHarness<?> harness, BooleanSupplier done, Supplier<String> whyNot)
            throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!done.getAsBoolean()) {
            Optional<Mail> mail = harness.getTaskMailbox().tryTake(TaskMailbox.MIN_PRIORITY);
            if (mail.isPresent()) {
                mail.get().run();
            } else if (System.nanoTime() > deadline) {
                throw new AssertionError(whyNot.get());
            } else {
                Thread.sleep(2);
            }
        }
    }
}
