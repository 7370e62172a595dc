package io.heed.models.sentiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.heed.models.InferenceDevice;
import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.EncoderWeights;
import io.heed.models.encoder.Windowing;
import io.heed.models.encoder.TransformerEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The bundled heads' quality floors on SST-2 dev, with the encoder's original weights and with Heed's fine-tuned
 * ones. Needs ../shared/data (CI has it; a plain clone skips).
 */
class SentimentAccuracyTest {

    @ParameterizedTest
    @CsvSource({"FROZEN, 0.81", "TUNED, 0.87"})
    void bundledHeadReachesTheFloorOnSst2Dev(EncoderWeights weights, double floor) {
        Path dev = Paths.get(System.getProperty("heed.data.dir", "../shared/data"), "sst2", "dev.tsv");
        assumeTrue(Files.isReadable(dev), "SST-2 dev set not found at " + dev.toAbsolutePath()
                + ": skipping the accuracy floor (set -Dheed.data.dir to the shared data folder to run it)");

        try (TransformerEncoder encoder = TransformerEncoder.load(EncoderVariant.INT8, weights, Windowing.of(256), 0,
                InferenceDevice.cpu())) {
            SentimentEvaluation.Result result =
                    SentimentEvaluation.evaluate(encoder, SentimentHead.bundled(weights), LabeledTexts.readTsv(dev));

            System.out.printf("SST-2 dev accuracy (%s) %.4f over %d examples (%.0f examples/s)%n", weights,
                    result.accuracy(), result.examples(), result.examplesPerSecond());
            assertThat(result.examples()).isEqualTo(872);
            assertThat(result.accuracy()).isGreaterThanOrEqualTo(floor);
        }
    }
}
