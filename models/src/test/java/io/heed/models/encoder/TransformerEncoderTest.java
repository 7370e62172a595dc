package io.heed.models.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TransformerEncoderTest {
    private static final String SHORT = "Great phone.";
    private static final String LONG = "The battery died after two days and support never answered my three emails about it.";

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

        assertThat(text.substring(states.charStarts()[lovely], states.charEnds()[lovely])).isEqualTo("lovely");
    }

    @Test
    void truncatesToTheWindowAndSaysSo() {
        String longText = "word ".repeat(400);
        TokenStates states = fp32.encode(List.of(longText)).get(0);

        assertThat(states.length()).isEqualTo(128);
        assertThat(states.truncated()).isTrue();
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
}
