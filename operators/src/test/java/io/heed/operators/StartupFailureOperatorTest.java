/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heed.models.ModelSpec;
import io.heed.models.Task;
import io.heed.models.encoder.EncoderVariant;
import io.heed.schemas.DeadLetter;
import io.heed.schemas.EnrichedText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model that cannot load fails the operator in {@code open()}, so the job fails at start with the file and the
 * problem in its cause, instead of running and dead-lettering every record.
 */
class StartupFailureOperatorTest {
    @TempDir
    Path dir;

    private static EnrichmentSettings settings(Path head) {
        return EnrichmentSettings.builder()
                .model(ModelSpec.builder()
                        .encoder(EncoderVariant.INT8)
                        .tasks(EnumSet.of(Task.SENTIMENT))
                        .sentimentHeadPath(head.toString())
                        .intraOpThreads(1)
                        .build())
                .build();
    }

    @Test
    void missingHeadFailsOpenNamingTheFile() throws Exception {
        Path missing = dir.resolve("missing-head.bin");
        OneInputStreamOperatorTestHarness<RawRecord, EnrichedText> harness =
                new OneInputStreamOperatorTestHarness<>(new EnrichmentOperator(settings(missing)));
        try {
            assertThatThrownBy(harness::open)
                    .hasMessageContaining(missing.toString())
                    .hasMessageContaining("no such file");
            assertThat(harness.getOutput()).isEmpty();
        } finally {
            harness.close();
        }
    }

    @Test
    void corruptHeadFailsOpenNamingTheFile() throws Exception {
        Path corrupt = dir.resolve("corrupt-head.bin");
        byte[] bytes = new byte[1000];
        new Random(3).nextBytes(bytes);
        Files.write(corrupt, bytes);
        OneInputStreamOperatorTestHarness<RawRecord, EnrichedText> harness =
                new OneInputStreamOperatorTestHarness<>(new EnrichmentOperator(settings(corrupt)));
        try {
            assertThatThrownBy(harness::open)
                    .hasMessageContaining(corrupt.toString())
                    .hasMessageContaining("not a Heed head file");
        } finally {
            harness.close();
        }
    }

    @Test
    void aJobWithAMissingHeadFailsAtStartWithoutDeadLetters() throws Exception {
        Path missing = dir.resolve("job-missing-head.bin");
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        List<RawRecord> records = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            records.add(RawRecord.of(TestEvents.avro(TestEvents.event("r" + i, "Some text number " + i))));
        }
        HeedEnrichment.Result result = HeedEnrichment.enrich(env.fromData(records), settings(missing));
        result.enriched().sinkTo(new DiscardingSink<EnrichedText>());
        result.deadLetters().map(DeadLetter::getId).returns(String.class).sinkTo(new DiscardingSink<>());
        long start = System.nanoTime();
        assertThatThrownBy(env::execute).satisfies(failure -> {
            assertThat(ExceptionUtils.findThrowableWithMessage(failure, missing.toString()))
                    .as("cause naming %s in %s", missing, ExceptionUtils.stringifyException(failure))
                    .isPresent();
        });
        assertThat((System.nanoTime() - start) / 1e9).as("seconds to fail").isLessThan(60);
    }
}
