package io.heed.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heed.models.encoder.EncoderVariant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextModelTest {

    @Test
    void analysesABatchWithOneEncoderPassAndNamesItsWeights() {
        try (TextModel model = TextModel.load(ModelSpec.builder().encoder(EncoderVariant.FP32).windowTokens(64).build())) {
            long before = model.encoderPasses();
            List<TextAnalysis> results = model.analyze(List.of(
                    "I absolutely love this, it works perfectly.",
                    "Awful experience, a complete waste of money.",
                    "word ".repeat(100)));

            assertThat(model.encoderPasses() - before).isEqualTo(1);
            assertThat(results).hasSize(3);
            assertThat(results.get(0).sentiment()).get().extracting(s -> s.label()).isEqualTo("positive");
            assertThat(results.get(1).sentiment()).get().extracting(s -> s.label()).isEqualTo("negative");
            // 102 tokens in 64-token windows: covered whole, not cut.
            assertThat(results.get(2).truncated()).isFalse();
            assertThat(results.get(2).tokenCount()).isEqualTo(102);
            assertThat(results.get(0).sentiment().get().topTokens()).isNotEmpty()
                    .allSatisfy(t -> assertThat(t.end()).isGreaterThan(t.start()));
            ModelInfo info = model.info();
            assertThat(info.modelId()).isEqualTo("heed/all-MiniLM-L6-v2-fp32+sentiment-attention-v1");
            assertThat(info.weightsSha256()).hasSize(64);
            assertThat(info.engine()).startsWith("OnnxRuntime");
        }
    }

    @Test
    void aCorruptHeadFileFailsAtLoadNamingTheFile(@TempDir Path dir) throws Exception {
        Path head = dir.resolve("my-head.bin");
        Files.write(head, new byte[] {'H', 'E', 'E', 'D', 'H', 'E', 'A', 'D', 1, 0, 0, 0, '{'});

        assertThatThrownBy(() -> TextModel.load(ModelSpec.builder().sentimentHeadPath(head.toString()).build()))
                .hasMessageContaining("my-head.bin");
    }

    @Test
    void specsAreValidatedWhenBuilt() {
        assertThatThrownBy(() -> ModelSpec.builder().windowTokens(4)).hasMessageContaining("windowTokens");
        assertThatThrownBy(() -> ModelSpec.builder().tasks(java.util.Set.of())).hasMessageContaining("at least one");
        assertThat(ModelSpec.builder().build()).isEqualTo(ModelSpec.builder().build());
    }
}
