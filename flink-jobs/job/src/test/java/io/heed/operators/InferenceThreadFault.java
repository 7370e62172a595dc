/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import ai.djl.engine.EngineException;
import io.heed.models.ModelInfo;
import io.heed.models.ModelSpec;
import io.heed.models.encoder.TokenizedText;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Heed's enrichment with a fault that job-level tests can fire inside the shared model's inference thread: once armed,
 * the next model call fails there with an engine error, as a native failure of ONNX Runtime would. Lives in the
 * operators package to reach the operator's model source; the model itself is the real shared one.
 */
public final class InferenceThreadFault {
    private static final AtomicBoolean ARMED = new AtomicBoolean();
    private static final AtomicInteger FIRED = new AtomicInteger();

    private InferenceThreadFault() {}

    /** {@link HeedEnrichment#enrich} with the fault-injecting model source. */
    public static HeedEnrichment.Result enrich(DataStream<RawRecord> input, EnrichmentSettings settings) {
        return HeedEnrichment.enrich(input, settings, new EnrichmentOperator(settings, InferenceThreadFault::acquire));
    }

    /** Makes the next model call (of any operator instance in this JVM) fail on the inference thread. */
    public static void arm() {
        ARMED.set(true);
    }

    public static int firedCount() {
        return FIRED.get();
    }

    public static void reset() {
        ARMED.set(false);
        FIRED.set(0);
    }

    private static SharedModel.Lease acquire(ModelSpec spec) {
        SharedModel.Lease shared = SharedModel.acquire(spec);
        return new SharedModel.Lease() {
            @Override
            public ModelInfo info() {
                return shared.info();
            }

            @Override
            public TokenizedText tokenize(String text) {
                return shared.tokenize(text);
            }

            @Override
            public CompletableFuture<SharedModel.Analyzed> analyze(List<TokenizedText> texts) {
                // The dependent stage runs where the model call completes: on the inference thread.
                return shared.analyze(texts).thenApply(analyzed -> {
                    if (ARMED.compareAndSet(true, false)) {
                        FIRED.incrementAndGet();
                        throw new EngineException("Injected fault: the engine failed inside Heed's inference thread");
                    }
                    return analyzed;
                });
            }

            @Override
            public void close() {
                shared.close();
            }
        };
    }
}
