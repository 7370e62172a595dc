/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heed.models.encoder.EncoderVariant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad user-supplied sentiment head makes {@link TextModel#load} fail at once, with a message that names the file and
 * what is wrong with it: missing, corrupt, truncated, or trained for an encoder of another width.
 */
class StartupFailureTest {
    @TempDir
    Path dir;

    private static ModelSpec spec(Path head) {
        return ModelSpec.builder()
                .encoder(EncoderVariant.INT8)
                .tasks(EnumSet.of(Task.SENTIMENT))
                .sentimentHeadPath(head.toString())
                .intraOpThreads(1)
                .build();
    }

    /** A well-formed sentiment head file for encoder states of width {@code hidden}. */
    static HeadFile head(int hidden) {
        int projection = 4;
        Random random = new Random(7);
        Map<String, HeadFile.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("mean", tensor(random, hidden));
        float[] std = new float[hidden];
        Arrays.fill(std, 1f);
        tensors.put("std", new HeadFile.Tensor(new int[] {hidden}, std));
        tensors.put("w1", tensor(random, hidden, projection));
        tensors.put("b1", tensor(random, projection));
        tensors.put("query", tensor(random, projection));
        tensors.put("w2", tensor(random, projection, 2));
        tensors.put("b2", tensor(random, 2));
        return new HeadFile("heed-sentiment-attention-v1", List.of("negative", "positive"), tensors);
    }

    private static HeadFile.Tensor tensor(Random random, int... shape) {
        int size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) random.nextGaussian() * 0.1f;
        }
        return new HeadFile.Tensor(shape, values);
    }

    @Test
    void missingHeadFileNamesThePath() {
        Path missing = dir.resolve("no-such-head.bin");
        assertThatThrownBy(() -> TextModel.load(spec(missing)))
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("no such file");
    }

    @Test
    void randomBytesAreRejectedAsNotAHeadFile() throws IOException {
        Path corrupt = dir.resolve("random.bin");
        byte[] bytes = new byte[4096];
        new Random(1).nextBytes(bytes);
        Files.write(corrupt, bytes);
        assertThatThrownBy(() -> TextModel.load(spec(corrupt)))
                .hasMessageContaining(corrupt.toString())
                .hasMessageContaining("not a Heed head file");
    }

    @Test
    void truncatedHeadFileIsReportedAsTruncated() throws IOException {
        byte[] valid = head(384).toBytes();
        for (int keep : new int[] {3, 10, 40, valid.length / 2, valid.length - 1}) {
            Path truncated = dir.resolve("truncated-" + keep + ".bin");
            Files.write(truncated, Arrays.copyOf(valid, keep));
            assertThatThrownBy(() -> TextModel.load(spec(truncated)))
                    .as("head cut to %d of %d bytes", keep, valid.length)
                    .hasMessageContaining(truncated.toString())
                    .hasMessageMatching("(?s).*(truncated|corrupt header).*");
        }
    }

    @Test
    void corruptHeaderIsReportedAsCorrupt() throws IOException {
        byte[] valid = head(384).toBytes();
        // Magic (8) + header length (4), then JSON: break its first characters.
        byte[] broken = valid.clone();
        broken[12] = ']';
        broken[13] = ']';
        Path corrupt = dir.resolve("bad-json.bin");
        Files.write(corrupt, broken);
        assertThatThrownBy(() -> TextModel.load(spec(corrupt)))
                .hasMessageContaining(corrupt.toString())
                .hasMessageContaining("corrupt header");
    }

    @Test
    void headOfTheWrongWidthNamesTheFileAndBothWidths() throws IOException {
        Path narrow = dir.resolve("width-8.bin");
        Files.write(narrow, head(8).toBytes());
        long start = System.nanoTime();
        assertThatThrownBy(() -> TextModel.load(spec(narrow)))
                .hasMessageContaining(narrow.toString())
                .hasMessageContaining("width 8")
                .hasMessageContaining("384");
        // Fails while loading, not later: one encoder load and a probe, seconds at most.
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(60);
    }

    @Test
    void aValidHeadOfTheRightWidthLoads() throws IOException {
        Path ok = dir.resolve("width-384.bin");
        Files.write(ok, head(384).toBytes());
        try (TextModel model = TextModel.load(spec(ok))) {
            assertThat(model.analyze(List.of("Fine.")).get(0).sentiment()).isPresent();
        }
    }
}
