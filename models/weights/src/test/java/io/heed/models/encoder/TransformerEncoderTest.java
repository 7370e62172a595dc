/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.heed.models.InferenceDevice;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TransformerEncoderTest {
    private static final String SHORT = "Great phone.";
    private static final String LONG =
            "The battery died after two days and support never answered my three emails about it.";

    private static TransformerEncoder fp32;

    @BeforeAll
    static void load() {
        fp32 = TransformerEncoder.load(EncoderVariant.FP32, 128, 1);
    }

    @AfterAll
    static void close() {
        fp32.close();
    }

    @Test
    void returnsOneStateRowPerRealTokenWithHiddenSize384() {
        List<TokenStates> states = fp32.encode(List.of(SHORT, LONG));

        assertThat(states).hasSize(2);
        assertThat(states.get(0).tokens()).containsExactly("[CLS]", "great", "phone", ".", "[SEP]");
        assertThat(states.get(0).hiddenSize()).isEqualTo(384);
        assertThat(states.get(0).states()).hasSize(5 * 384);
        assertThat(states.get(1).length()).isGreaterThan(states.get(0).length());
        assertThat(states.get(1).length()).isEqualTo(fp32.tokenCount(LONG));
    }

    @Test
    void paddingIsMaskedSoAShortTextEncodesTheSameAloneAndBesideALongOne() {
        TokenStates alone = fp32.encode(List.of(SHORT)).get(0);
        TokenStates padded = fp32.encode(List.of(LONG, SHORT)).get(1);

        assertThat(padded.length()).isEqualTo(alone.length());
        for (int i = 0; i < alone.states().length; i++) {
            assertThat(padded.states()[i]).isCloseTo(alone.states()[i], within(1e-4f));
        }
    }

    @Test
    void oneForwardPassPerBatch() {
        long before = fp32.forwardPasses();
        fp32.encode(List.of(SHORT, LONG, "A third text."));
        assertThat(fp32.forwardPasses() - before).isEqualTo(1);
    }

    @Test
    void charSpansPointIntoTheOriginalText() {
        String text = "Zürich  is   lovely!";
        TokenStates states = fp32.encode(List.of(text)).get(0);
        int lovely = List.of(states.tokens()).indexOf("lovely");

        assertThat(text.substring(states.charStarts()[lovely], states.charEnds()[lovely]))
                .isEqualTo("lovely");
    }

    @Test
    void coversALongTextWithOverlappingWindowsInOnePass() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            text.append("Sentence number ").append(i).append(" talks about Zürich. ");
        }
        long before = fp32.forwardPasses();
        TokenStates states = fp32.encode(List.of(text.toString(), SHORT)).get(0);

        assertThat(fp32.forwardPasses() - before).isEqualTo(1);
        assertThat(states.truncated()).isFalse();
        assertThat(states.length()).isEqualTo(fp32.tokenCount(text.toString())).isGreaterThan(1000);
        assertThat(states.tokens()[0]).isEqualTo("[CLS]");
        assertThat(states.tokens()[states.length() - 1]).isEqualTo("[SEP]");
        int lastZurich = -1;
        for (int t = 0; t < states.length(); t++) {
            if (states.charEnds()[t] > states.charStarts()[t]) {
                assertThat(text.substring(states.charStarts()[t], states.charEnds()[t])
                                .toLowerCase()
                                .replace("ü", "u"))
                        .isEqualTo(states.tokens()[t].replace("##", ""));
            }
            if (states.tokens()[t].equals("zurich")) {
                lastZurich = t;
            }
        }
        assertThat(lastZurich).isGreaterThan(1000);
    }

    @Test
    void aTokenFarFromWindowEdgesKeepsTheStateItHasWhenTheTextFitsOneWindow() {
        // 100 tokens fit in a 128 window; with a 64 window they are split. Tokens in the middle of a window see
        // context on both sides and stay close to the one-window states.
        String text =
                "the quick brown fox jumps over the lazy dog and ".repeat(9).strip();
        try (TransformerEncoder small = TransformerEncoder.load(EncoderVariant.FP32, new Windowing(64, 16, 4096), 1)) {
            TokenStates windowed = small.encode(List.of(text)).get(0);
            TokenStates whole = fp32.encode(List.of(text)).get(0);
            assertThat(windowed.length()).isEqualTo(whole.length());
            assertThat(windowed.tokens()).containsExactly(whole.tokens());
            assertThat(cosine(windowed, whole, 30)).isGreaterThan(0.8);
        }
    }

    @Test
    void cutsDocumentsBeyondTheDocumentCapAndSaysSo() {
        try (TransformerEncoder capped = TransformerEncoder.load(EncoderVariant.INT8, new Windowing(32, 8, 100), 1)) {
            TokenStates states = capped.encode(List.of("word ".repeat(400))).get(0);
            assertThat(states.length()).isEqualTo(100);
            assertThat(states.truncated()).isTrue();
            assertThat(states.tokens()[99]).isEqualTo("[SEP]");
        }
    }

    private static double cosine(TokenStates a, TokenStates b, int token) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int d = 0; d < a.hiddenSize(); d++) {
            dot += a.state(token, d) * b.state(token, d);
            na += a.state(token, d) * a.state(token, d);
            nb += b.state(token, d) * b.state(token, d);
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void int8EncoderLoadsAndReportsProvenance() {
        try (TransformerEncoder int8 = TransformerEncoder.load(EncoderVariant.INT8, 64, 1)) {
            TokenStates states = int8.encode(List.of(SHORT)).get(0);
            assertThat(states.length()).isEqualTo(5);
            assertThat(int8.modelId()).contains("int8");
            assertThat(int8.weightsSha256()).hasSize(64).isNotEqualTo(fp32.weightsSha256());
            assertThat(int8.engineDescription()).startsWith("OnnxRuntime");
            assertThat(int8.device()).startsWith("cpu");
        }
    }

    @Test
    void preferredGpuFallsBackToCpuWhenOnnxRuntimeHasNoCuda() throws Exception {
        assumeFalse(cudaProviderPresent(), "this ONNX Runtime build has CUDA: the fallback cannot be exercised");
        try (TransformerEncoder encoder =
                TransformerEncoder.load(EncoderVariant.INT8, Windowing.of(64), 1, InferenceDevice.gpuOrCpu(0))) {
            assertThat(encoder.device()).isEqualTo("cpu");
            assertThat(encoder.encode(List.of(SHORT)).get(0).length()).isEqualTo(5);
        }
    }

    @Test
    void requiredGpuFailsWithAnExplanationWhenOnnxRuntimeHasNoCuda() throws Exception {
        assumeFalse(cudaProviderPresent(), "this ONNX Runtime build has CUDA: the failure cannot be exercised");
        assertThatThrownBy(
                        () -> TransformerEncoder.load(EncoderVariant.INT8, Windowing.of(64), 1, InferenceDevice.gpu(0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("GPU 0")
                .hasMessageContaining("onnxruntime_gpu");
    }

    private static boolean cudaProviderPresent() throws Exception {
        return ai.onnxruntime.OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA);
    }
}
