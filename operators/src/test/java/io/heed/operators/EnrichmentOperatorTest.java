/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import io.heed.models.ModelSpec;
import io.heed.models.encoder.EncoderVariant;
import io.heed.schemas.DeadLetter;
import io.heed.schemas.DeadLetterReason;
import io.heed.schemas.EnrichedText;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The operator with the real bundled model, driven by Flink's operator test harness. */
class EnrichmentOperatorTest {
    private OneInputStreamOperatorTestHarness<RawRecord, EnrichedText> harness;

    private void open(InputFormat format, int maxBatchSize, Duration maxWait, int maxTextBytes) throws Exception {
        open(EnrichmentSettings.builder()
                .inputFormat(format)
                .maxBatchSize(maxBatchSize)
                .maxBatchWait(maxWait)
                .maxTextBytes(maxTextBytes));
    }

    private void open(EnrichmentSettings.Builder settings) throws Exception {
        harness = new OneInputStreamOperatorTestHarness<>(new EnrichmentOperator(withTestModel(settings)));
        harness.open();
    }

    private static EnrichmentSettings withTestModel(EnrichmentSettings.Builder settings) {
        return settings.model(ModelSpec.builder()
                        .encoder(EncoderVariant.FP32)
                        .windowTokens(128)
                        .intraOpThreads(1)
                        .build())
                .build();
    }

    /** A task environment whose TaskManager was given these GPUs by Flink's external resource framework. */
    private static MockEnvironment environmentWithGpus(String... indices) {
        Set<ExternalResourceInfo> gpus = new HashSet<>();
        for (String index : indices) {
            gpus.add(new ExternalResourceInfo() {
                @Override
                public Optional<String> getProperty(String key) {
                    return "index".equals(key) ? Optional.of(index) : Optional.empty();
                }

                @Override
                public Collection<String> getKeys() {
                    return List.of("index");
                }
            });
        }
        return new MockEnvironmentBuilder()
                .setTaskName("heed-gpu-test")
                .setManagedMemorySize(3 * 1024 * 1024)
                .setBufferSize(1024)
                .setExternalResourceInfoProvider(name -> "gpu".equals(name) ? gpus : Set.of())
                .build();
    }

    private void awaitOutputs(int count) throws Exception {
        TaskMail.runUntil(
                harness,
                () -> harness.extractOutputValues().size() >= count,
                () -> "Only " + harness.extractOutputValues().size() + " of " + count
                        + " records came out within 60 s");
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void runsTheModelOncePerFullBatchAndKeepsInputOrderWithinIt() throws Exception {
        // Four texts of 17-32 tokens: one length bucket.
        open(InputFormat.AVRO, 4, Duration.ofHours(1), 1000);
        harness.processElement(
                avro("a", "I absolutely love this phone, it is wonderful and it works perfectly every day."), 1);
        harness.processElement(
                avro("b", "Terrible. It broke on day one and the support team was rude and useless."), 2);
        harness.processElement(
                avro("c", "The best purchase I have made all year, highly recommended to everyone I know!"), 3);
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.processElement(
                avro("d", "Awful experience from start to end, a complete waste of money. Never again."), 4);
        awaitOutputs(4);

        List<EnrichedText> out = harness.extractOutputValues();
        assertThat(out).extracting(EnrichedText::getId).containsExactly("a", "b", "c", "d");
        assertThat(out)
                .extracting(e -> e.getSentiment().getLabel())
                .containsExactly("positive", "negative", "positive", "negative");
        EnrichedText first = out.get(0);
        assertThat(first.getSentiment().getProbabilities()).containsOnlyKeys("negative", "positive", "neutral");
        assertThat(first.getSentiment().getScore()).isGreaterThan(0.5f);
        assertThat(first.getSource()).isEqualTo("test");
        assertThat(first.getAttributes()).containsEntry("k", "v");
        assertThat(first.getEntities()).isEmpty();
        assertThat(first.getProvenance().getModelId()).contains("fp32").contains("sentiment");
        assertThat(first.getProvenance().getWeightsSha256()).hasSize(64);
        assertThat(first.getProvenance().getEngine()).startsWith("OnnxRuntime");
        assertThat(first.getInferenceMs()).isPositive();
        // Records keep their input timestamps.
        assertThat(harness.extractOutputStreamRecords())
                .extracting(StreamRecord::getTimestamp)
                .containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void flushesAPartialBatchWhenTheMaxWaitPasses() throws Exception {
        open(InputFormat.JSON, 32, Duration.ofMillis(50), 1000);
        harness.setProcessingTime(1_000);
        harness.processElement(record(TestEvents.json("a", "Lovely staff and a spotless room.")));
        harness.processElement(record(TestEvents.json("b", "Cold food, slow service.")));

        harness.setProcessingTime(1_049);
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.setProcessingTime(1_050);
        awaitOutputs(2);
        assertThat(harness.extractOutputValues())
                .extracting(EnrichedText::getId)
                .containsExactly("a", "b");
    }

    /** A new operator instance started from {@code checkpoint}, as after a failure or from a savepoint. */
    private void restore(OperatorSubtaskState checkpoint, int maxBatchSize) throws Exception {
        harness = new OneInputStreamOperatorTestHarness<>(
                new EnrichmentOperator(withTestModel(EnrichmentSettings.builder()
                        .inputFormat(InputFormat.JSON)
                        .maxBatchSize(maxBatchSize)
                        .maxBatchWait(Duration.ofHours(1)))));
        harness.initializeState(checkpoint);
        harness.open();
    }

    @Test
    void aCheckpointHoldsBufferedRecordsWithoutWaitingAndARestoreEnrichesThem() throws Exception {
        open(InputFormat.JSON, 32, Duration.ofHours(1), 1000);
        harness.processElement(RawRecord.of(TestEvents.json("a", "Great value.")), 7);
        harness.processElement(RawRecord.of(TestEvents.json("b", "Not worth it.")), 8);

        // The barrier does not flush: nothing is emitted, and the records are in the checkpoint instead.
        harness.prepareSnapshotPreBarrier(1);
        OperatorSubtaskState checkpoint = harness.snapshot(1, 1);
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.close();

        restore(checkpoint, 32);
        harness.endInput();

        assertThat(harness.extractOutputValues())
                .extracting(EnrichedText::getId)
                .containsExactly("a", "b");
        assertThat(harness.extractOutputStreamRecords())
                .extracting(StreamRecord::getTimestamp)
                .containsExactly(7L, 8L);
    }

    @Test
    void aCheckpointTakenWhileABatchIsInTheModelHoldsItsRecords() throws Exception {
        open(InputFormat.JSON, 2, Duration.ofHours(1), 1000);
        harness.processElement(record(TestEvents.json("a", "Great value.")));
        harness.processElement(record(TestEvents.json("b", "Not worth it.")));
        // A full batch went to the model; the snapshot is taken before its results come back through the mailbox.
        OperatorSubtaskState checkpoint = harness.snapshot(1, 1);
        awaitOutputs(2);
        harness.close();

        restore(checkpoint, 2);
        awaitOutputs(2);
        assertThat(harness.extractOutputValues())
                .extracting(EnrichedText::getId)
                .containsExactly("a", "b");
    }

    @Test
    void holdsWatermarksBackUntilBufferedRecordsAreEmitted() throws Exception {
        open(InputFormat.JSON, 32, Duration.ofHours(1), 1000);
        harness.processElement(RawRecord.of(TestEvents.json("a", "Fine.")), 5);
        harness.processWatermark(new Watermark(10));
        assertThat(harness.getOutput()).isEmpty();

        harness.endInput();

        List<Object> output = List.copyOf(harness.getOutput());
        assertThat(output).hasSize(2);
        assertThat(output.get(0)).isInstanceOf(StreamRecord.class);
        assertThat(output.get(1)).isEqualTo(new Watermark(10));
    }

    @Test
    void invalidInputGoesToTheDeadLetterOutputWithAReasonAndTheJobKeepsGoing() throws Exception {
        open(InputFormat.JSON, 2, Duration.ofHours(1), 64);
        byte[] garbage = {(byte) 0xff, 0x00, 0x13};
        harness.processElement(new StreamRecord<>(new RawRecord(garbage, "in", 3, 42L, 7L)));
        harness.processElement(record(null));
        harness.processElement(record(TestEvents.json("{\"id\":\"no-text\"}")));
        harness.processElement(record(TestEvents.json("{\"id\":\"null-text\",\"text\":null}")));
        harness.processElement(record(TestEvents.json("blank", " \\t\\n ")));
        harness.processElement(record(TestEvents.json("big", "x".repeat(65))));
        harness.processElement(record(TestEvents.json("{\"text\":\"no id\"}")));
        harness.processElement(record(TestEvents.json("{\"id\":7,\"text\":\"numeric id\"}")));
        harness.processElement(record(TestEvents.json("[1,2,3]")));
        harness.processElement(record(TestEvents.json("ok-1", "Works as described.")));
        harness.processElement(record(TestEvents.json("ok-2", "Broke after a week.")));
        awaitOutputs(2);

        List<DeadLetter> deadLetters = harness.getSideOutput(HeedEnrichment.DEAD_LETTERS).stream()
                .map(StreamRecord::getValue)
                .toList();
        assertThat(deadLetters)
                .extracting(DeadLetter::getReason)
                .containsExactly(
                        DeadLetterReason.UNDECODABLE,
                        DeadLetterReason.UNDECODABLE,
                        DeadLetterReason.MISSING_TEXT,
                        DeadLetterReason.MISSING_TEXT,
                        DeadLetterReason.BLANK_TEXT,
                        DeadLetterReason.TEXT_TOO_LARGE,
                        DeadLetterReason.MISSING_ID,
                        DeadLetterReason.UNDECODABLE,
                        DeadLetterReason.UNDECODABLE);
        DeadLetter first = deadLetters.get(0);
        assertThat(first.getPayload().array()).containsExactly(garbage);
        assertThat(first.getTopic()).isEqualTo("in");
        assertThat(first.getPartition()).isEqualTo(3);
        assertThat(first.getOffset()).isEqualTo(42L);
        assertThat(first.getStage()).isEqualTo("decode");
        assertThat(first.getMessage()).contains("JSON");
        assertThat(deadLetters.get(2).getId()).isEqualTo("no-text");
        assertThat(deadLetters.get(5).getMessage()).contains("64 UTF-8 bytes");
        assertThat(deadLetters.get(7).getMessage()).contains("'id' must be a string");
        assertThat(harness.extractOutputValues())
                .extracting(EnrichedText::getId)
                .containsExactly("ok-1", "ok-2");
    }

    @Test
    void unpairedSurrogatesReachTheModelAndTheOutputAsReplacementCharacters() throws Exception {
        open(InputFormat.JSON, 1, Duration.ofHours(1), 1000);
        harness.processElement(record(TestEvents.json(
                "{\"id\":\"s\",\"text\":\"\\ud800 Angela Merkel met " + "Emmanuel Macron in Paris \\udc00.\"}")));
        awaitOutputs(1);

        EnrichedText out = harness.extractOutputValues().get(0);
        assertThat(out.getText()).isEqualTo("\ufffd Angela Merkel met Emmanuel Macron in Paris \ufffd.");
        assertThat(out.getEntities())
                .isNotEmpty()
                .allSatisfy(entity -> assertThat(out.getText().substring(entity.getStart(), entity.getEnd()))
                        .isEqualTo(entity.getText()));
        assertThat(out.getEntities()).extracting(e -> e.getText()).contains("Paris");
    }

    /** A user's deserializer: "null" decodes to nothing, "boom" throws, "registry-down" is a systemic fault. */
    private static final class UserDeserializer
            implements org.apache.flink.api.common.serialization.DeserializationSchema<io.heed.schemas.TextEvent> {
        private final org.apache.flink.api.common.serialization.DeserializationSchema<io.heed.schemas.TextEvent> json =
                TextEventDeserializers.json();

        @Override
        public io.heed.schemas.TextEvent deserialize(byte[] payload) throws java.io.IOException {
            String text = new String(payload, java.nio.charset.StandardCharsets.UTF_8);
            return switch (text) {
                case "null" -> null;
                case "boom" -> throw new IllegalStateException("user code cannot parse 'boom'");
                case "registry-down" -> throw new SystemicInputFault("registry down");
                default -> json.deserialize(payload);
            };
        }

        @Override
        public boolean isEndOfStream(io.heed.schemas.TextEvent next) {
            return false;
        }

        @Override
        public org.apache.flink.api.common.typeinfo.TypeInformation<io.heed.schemas.TextEvent> getProducedType() {
            return json.getProducedType();
        }

        @Override
        public String toString() {
            return "user-deserializer";
        }
    }

    @Test
    void aUsersDeserializerDeadLettersWhatItCannotReadAndFailsTheTaskOnASystemicFault() throws Exception {
        open(EnrichmentSettings.builder().input(new UserDeserializer()).maxBatchSize(1));
        harness.processElement(record(TestEvents.json("null")));
        harness.processElement(record(TestEvents.json("boom")));
        harness.processElement(record(TestEvents.json("u-1", "A fine day.")));
        awaitOutputs(1);

        assertThat(harness.getSideOutput(HeedEnrichment.DEAD_LETTERS))
                .extracting(r -> r.getValue().getReason() + ": " + r.getValue().getMessage())
                .containsExactly(
                        "UNDECODABLE: the input deserializer (user-deserializer) returned no record",
                        "UNDECODABLE: user code cannot parse 'boom'");
        assertThat(harness.extractOutputValues())
                .extracting(EnrichedText::getId)
                .containsExactly("u-1");

        int deadLetters = harness.getSideOutput(HeedEnrichment.DEAD_LETTERS).size();
        assertThatThrownBy(() -> harness.processElement(record(TestEvents.json("registry-down"))))
                .isInstanceOf(SystemicInputFault.class);
        assertThat(harness.getSideOutput(HeedEnrichment.DEAD_LETTERS)).hasSize(deadLetters);
    }

    @Test
    void avroPayloadsOfAnotherShapeAreUndecodable() throws Exception {
        open(InputFormat.AVRO, 1, Duration.ofHours(1), 1000);
        byte[] valid = TestEvents.avro(TestEvents.event("x", "Nice."));
        byte[] truncated = java.util.Arrays.copyOf(valid, valid.length - 3);
        byte[] trailing = java.util.Arrays.copyOf(valid, valid.length + 4);
        harness.processElement(record(truncated));
        harness.processElement(record(trailing));
        harness.processElement(record(TestEvents.json("x", "json is not avro")));
        harness.processElement(record(valid));
        awaitOutputs(1);

        assertThat(harness.getSideOutput(HeedEnrichment.DEAD_LETTERS))
                .hasSize(3)
                .allMatch(r -> r.getValue().getReason() == DeadLetterReason.UNDECODABLE);
        assertThat(harness.extractOutputValues())
                .extracting(EnrichedText::getId)
                .containsExactly("x");
    }

    @Test
    void batchesShortAndLongTextsApartAndHoldsWatermarksUntilEarlierRecordsAreOut() throws Exception {
        open(InputFormat.JSON, 2, Duration.ofHours(1), 10_000);
        String longText = "The hotel was in a quiet street near the station, the room was large and clean, the staff "
                + "at the desk were friendly and helpful, and breakfast had plenty of fresh fruit and good coffee.";
        harness.processElement(RawRecord.of(TestEvents.json("long-1", longText)), 1);
        harness.processElement(RawRecord.of(TestEvents.json("short-1", "Great.")), 2);
        harness.processWatermark(new Watermark(2));
        harness.processElement(RawRecord.of(TestEvents.json("short-2", "Awful.")), 3);
        awaitOutputs(2);
        // The two short texts filled their bucket; the long one still waits for a partner, so the watermark that
        // followed it must wait too.
        assertThat(harness.extractOutputValues())
                .extracting(EnrichedText::getId)
                .containsExactly("short-1", "short-2");
        assertThat(harness.getOutput()).noneMatch(Watermark.class::isInstance);

        harness.processElement(RawRecord.of(TestEvents.json("long-2", longText + " Would stay again.")), 4);
        awaitOutputs(4);

        List<Object> output = List.copyOf(harness.getOutput());
        assertThat(harness.extractOutputValues())
                .extracting(EnrichedText::getId)
                .containsExactly("short-1", "short-2", "long-1", "long-2");
        assertThat(output.get(output.size() - 1)).isEqualTo(new Watermark(2));
    }

    @Test
    void recordsOverTheRecordLimitAreDeadLetteredAndDeadLetterPayloadsAreCutToFit() throws Exception {
        open(EnrichmentSettings.builder()
                .inputFormat(InputFormat.JSON)
                .maxBatchSize(1)
                .maxTextBytes(3000)
                .maxRecordBytes(2048));
        // 1,700 chars of text plus its entities and summary: well over 2,048 bytes once enriched.
        String longText = "Angela Merkel met Tim Cook in Berlin on Monday to talk about trade. ".repeat(25);
        harness.processElement(record(TestEvents.json("long", longText)));
        harness.processElement(record(TestEvents.json("short", "Short and fine.")));
        byte[] huge = TestEvents.json("huge", "x".repeat(5000));
        harness.processElement(record(huge));
        harness.endInput();

        assertThat(harness.extractOutputValues())
                .extracting(EnrichedText::getId)
                .containsExactly("short");
        List<DeadLetter> deadLetters = harness.getSideOutput(HeedEnrichment.DEAD_LETTERS).stream()
                .map(StreamRecord::getValue)
                .toList();
        DeadLetter tooLarge = deadLetters.stream()
                .filter(d -> "long".equals(d.getId()))
                .findFirst()
                .orElseThrow();
        assertThat(tooLarge.getReason()).isEqualTo(DeadLetterReason.RECORD_TOO_LARGE);
        assertThat(tooLarge.getStage()).isEqualTo("output");
        assertThat(tooLarge.getMessage()).contains("over the limit of 2048 bytes");
        DeadLetter cut = deadLetters.stream()
                .filter(d -> "huge".equals(d.getId()))
                .findFirst()
                .orElseThrow();
        assertThat(cut.getReason()).isEqualTo(DeadLetterReason.TEXT_TOO_LARGE);
        assertThat(cut.getPayload().remaining()).isEqualTo(1024);
        assertThat(cut.getPayload().array()).containsExactly(java.util.Arrays.copyOf(huge, 1024));
        assertThat(cut.getMessage()).contains("payload cut to the first 1024 of " + huge.length + " bytes");
    }

    @Test
    void operatorsWithTheSameModelSpecShareOneLoadedModel() throws Exception {
        open(InputFormat.JSON, 1, Duration.ofHours(1), 1000);
        EnrichmentSettings settings = EnrichmentSettings.builder()
                .inputFormat(InputFormat.JSON)
                .maxBatchSize(1)
                .model(ModelSpec.builder()
                        .encoder(EncoderVariant.FP32)
                        .windowTokens(128)
                        .intraOpThreads(1)
                        .build())
                .build();
        int loadedBefore = SharedModel.loadedCount();
        try (OneInputStreamOperatorTestHarness<RawRecord, EnrichedText> second =
                new OneInputStreamOperatorTestHarness<>(new EnrichmentOperator(settings))) {
            second.open();
            assertThat(SharedModel.loadedCount()).isEqualTo(loadedBefore);
        }
        harness.processElement(record(TestEvents.json("still-works", "Still works after the other one closed.")));
        awaitOutputs(1);
        assertThat(harness.extractOutputValues())
                .extracting(EnrichedText::getId)
                .containsExactly("still-works");

        harness.close();
        harness = null;
        assertThat(SharedModel.loadedCount()).isEqualTo(loadedBefore - 1);
    }

    private static RawRecord avro(String id, String text) {
        return RawRecord.of(TestEvents.avro(TestEvents.event(id, text)));
    }

    private static StreamRecord<RawRecord> record(byte[] payload) {
        return new StreamRecord<>(RawRecord.of(payload));
    }

    /*
     * The harness built on a custom environment (the only way to hand the operator external resources) does not pass
     * a mailbox to yielding operators, so these tests stop at open(); what runs after it is the same as on the CPU.
     * The fallback itself is checked on the encoder (TransformerEncoderTest) and the choice in DeviceSelectionTest.
     */
    @Test
    void aGpuThatOnnxRuntimeCannotUseDoesNotFailOpen() throws Exception {
        assumeFalse(
                OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA),
                "this ONNX Runtime build has CUDA: the fallback cannot be exercised");
        harness = new OneInputStreamOperatorTestHarness<>(
                new EnrichmentOperator(withTestModel(EnrichmentSettings.builder())), environmentWithGpus("0"));
        assertThatCode(harness::open).doesNotThrowAnyException();
    }

    @Test
    void aRequiredGpuThatOnnxRuntimeCannotUseFailsOpen() throws Exception {
        assumeFalse(
                OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA),
                "this ONNX Runtime build has CUDA: the failure cannot be exercised");
        harness = new OneInputStreamOperatorTestHarness<>(
                new EnrichmentOperator(
                        withTestModel(EnrichmentSettings.builder().device(DevicePreference.GPU))),
                environmentWithGpus("0"));
        assertThatThrownBy(harness::open).hasMessageContaining("GPU 0").hasMessageContaining("onnxruntime_gpu");
    }

    @Test
    void aRequiredGpuWithoutOneAssignedFailsOpenNamingTheFlinkSetting() throws Exception {
        harness = new OneInputStreamOperatorTestHarness<>(
                new EnrichmentOperator(
                        withTestModel(EnrichmentSettings.builder().device(DevicePreference.GPU))),
                environmentWithGpus());
        assertThatThrownBy(harness::open).hasMessageContaining("external-resources: gpu");
    }
}
