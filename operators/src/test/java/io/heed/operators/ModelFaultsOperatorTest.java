/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heed.models.ModelInfo;
import io.heed.models.ModelSpec;
import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.TokenizedText;
import io.heed.schemas.DeadLetter;
import io.heed.schemas.DeadLetterReason;
import io.heed.schemas.EnrichedText;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The operator under a model that fails on purpose: a fault of one text dead-letters that text and nothing else; a
 * fault of the model (every text failing, out of memory, a hung call) fails the task, with nothing dead-lettered, so
 * that Flink restarts it from its checkpoint instead of draining the stream into the dead-letter topic.
 */
class ModelFaultsOperatorTest {
    /** How the injected model behaves. Static: the operator's model source must be serializable. */
    private enum Fault {
        /** Texts containing POISON fail, alone or in a batch. */
        POISONED_TEXTS,
        /** Every call fails with an ordinary exception. */
        EVERY_CALL,
        /** Every call fails with an OutOfMemoryError, as a native allocation failure would surface. */
        OUT_OF_MEMORY,
        /** Calls never complete. */
        HANGS
    }

    private static volatile Fault fault;
    private static volatile int calls;

    private OneInputStreamOperatorTestHarness<RawRecord, EnrichedText> harness;

    /** The real shared model behind a lease that injects {@link #fault}. */
    private static SharedModel.Lease faulty(ModelSpec spec) {
        SharedModel.Lease real = SharedModel.acquire(spec);
        return new SharedModel.Lease() {
            @Override
            public ModelInfo info() {
                return real.info();
            }

            @Override
            public TokenizedText tokenize(String text) {
                return real.tokenize(text);
            }

            @Override
            public CompletableFuture<SharedModel.Analyzed> analyze(List<TokenizedText> texts) {
                calls++;
                return switch (fault) {
                    case POISONED_TEXTS ->
                        texts.stream().anyMatch(t -> t.text().contains("POISON"))
                                ? CompletableFuture.failedFuture(
                                        new IllegalArgumentException("cannot tokenize this text"))
                                : real.analyze(texts);
                    case EVERY_CALL -> CompletableFuture.failedFuture(new IllegalStateException("session is broken"));
                    case OUT_OF_MEMORY -> CompletableFuture.failedFuture(new OutOfMemoryError("native allocation"));
                    case HANGS -> new CompletableFuture<>();
                };
            }

            @Override
            public void close() {
                real.close();
            }
        };
    }

    private void open(Fault injected, int maxBatchSize, Duration batchTimeout) throws Exception {
        fault = injected;
        calls = 0;
        EnrichmentSettings settings = EnrichmentSettings.builder()
                .model(ModelSpec.builder()
                        .encoder(EncoderVariant.FP32)
                        .windowTokens(64)
                        .intraOpThreads(1)
                        .build())
                .inputFormat(InputFormat.JSON)
                .maxBatchSize(maxBatchSize)
                .maxBatchWait(Duration.ofHours(1))
                .batchTimeout(batchTimeout)
                .build();
        harness = new OneInputStreamOperatorTestHarness<>(
                new EnrichmentOperator(settings, ModelFaultsOperatorTest::faulty));
        harness.open();
    }

    private void send(String id, String text) throws Exception {
        harness.processElement(new StreamRecord<>(RawRecord.of(TestEvents.json(id, text))));
    }

    private void runMailUntil(java.util.function.BooleanSupplier done) throws Exception {
        TaskMail.runUntil(harness, done, () -> "not done within 60 s");
    }

    private List<DeadLetter> deadLetters() {
        var emitted = harness.getSideOutput(HeedEnrichment.DEAD_LETTERS); // null until the first one
        return emitted == null
                ? List.of()
                : emitted.stream().map(StreamRecord::getValue).toList();
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void aTextThatBreaksTheModelIsDeadLetteredAloneAndItsBatchIsEnriched() throws Exception {
        open(Fault.POISONED_TEXTS, 4, Duration.ofMinutes(1));
        send("a", "The room was lovely and the staff were kind.");
        send("b", "POISON in this text.");
        send("c", "Breakfast was cold and the coffee was weak.");
        send("d", "A quiet street, close to the station.");

        runMailUntil(() -> harness.extractOutputValues().size() + deadLetters().size() == 4);

        assertThat(harness.extractOutputValues()).extracting(e -> e.getId()).containsExactlyInAnyOrder("a", "c", "d");
        assertThat(deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.getId()).isEqualTo("b");
            assertThat(d.getReason()).isEqualTo(DeadLetterReason.INFERENCE_FAILED);
            assertThat(d.getMessage()).contains("cannot tokenize this text");
        });
        assertThat(calls).as("the batch, then each record alone").isEqualTo(5);
    }

    @Test
    void whenMostRecordsOfABatchFailAloneTheTaskFailsAndNothingIsDeadLettered() throws Exception {
        open(Fault.EVERY_CALL, 4, Duration.ofMinutes(1));
        for (String id : List.of("a", "b", "c", "d")) {
            send(id, "An ordinary text about the weather.");
        }
        assertThatThrownBy(() -> runMailUntil(() -> false))
                .isInstanceOf(ModelFaults.SystemicModelFault.class)
                .hasMessageContaining("4 of 4 records of a batch failed even alone")
                .hasRootCauseMessage("session is broken");
        assertThat(deadLetters()).isEmpty();
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void recordsFailingAloneOneBatchAfterAnotherTripTheCircuitBreaker() throws Exception {
        open(Fault.EVERY_CALL, 1, Duration.ofMinutes(1));
        int sent = RecordFailures.MAX_CONSECUTIVE + 2;
        assertThatThrownBy(() -> {
                    for (int i = 0; i < sent; i++) {
                        send("r" + i, "Text number " + i + ".");
                        runMailUntil(() -> harness.getTaskMailbox().size() == 0 && calls % 2 == 0);
                    }
                    runMailUntil(() -> false);
                })
                .isInstanceOf(ModelFaults.SystemicModelFault.class)
                .hasMessageContaining(RecordFailures.MAX_CONSECUTIVE + " records in a row");
        assertThat(deadLetters())
                .as("records before the breaker tripped were dead-lettered one by one")
                .hasSize(RecordFailures.MAX_CONSECUTIVE - 1);
    }

    @Test
    void anOutOfMemoryErrorFailsTheTaskAtOnceWithoutRetries() throws Exception {
        open(Fault.OUT_OF_MEMORY, 2, Duration.ofMinutes(1));
        send("a", "First text.");
        send("b", "Second text.");
        assertThatThrownBy(() -> runMailUntil(() -> false))
                .isInstanceOf(ModelFaults.SystemicModelFault.class)
                .hasCauseInstanceOf(OutOfMemoryError.class);
        assertThat(calls).as("no retries for a systemic fault").isEqualTo(1);
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void aBatchThatHangsPastTheTimeoutFailsTheTask() throws Exception {
        open(Fault.HANGS, 2, Duration.ofMillis(300));
        send("a", "First text.");
        send("b", "Second text.");
        assertThatThrownBy(() -> runMailUntil(() -> false))
                .isInstanceOf(ModelFaults.SystemicModelFault.class)
                .hasCauseInstanceOf(TimeoutException.class);
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void faultsAreClassifiedByTheirCauseChain() {
        assertThat(ModelFaults.isSystemic(new OutOfMemoryError())).isTrue();
        assertThat(ModelFaults.isSystemic(new RuntimeException("wrapped", new ai.djl.engine.EngineException("ort"))))
                .isTrue();
        assertThat(ModelFaults.isSystemic(new TimeoutException())).isTrue();
        assertThat(ModelFaults.isSystemic(new IllegalArgumentException("bad text")))
                .isFalse();
        assertThat(ModelFaults.unwrap(new java.util.concurrent.CompletionException(new OutOfMemoryError())))
                .isInstanceOf(OutOfMemoryError.class);
        assertThat(IntStream.rangeClosed(0, 2)
                        .map(f -> RecordFailures.mostOfBatch(f, 2) ? 1 : 0)
                        .sum())
                .as("a batch of two never trips on its own")
                .isZero();
        assertThat(RecordFailures.mostOfBatch(2, 3)).isTrue();
        assertThat(RecordFailures.mostOfBatch(1, 3)).isFalse();
    }
}
