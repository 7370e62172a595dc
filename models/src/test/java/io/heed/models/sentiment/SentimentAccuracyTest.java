package io.heed.models.sentiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.TransformerEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** The bundled head's quality floor on SST-2 dev. Needs ../shared/data (CI has it; a plain clone skips). */
class SentimentAccuracyTest {
    private static final double FLOOR = 0.81;

    @Test
    void bundledHeadReachesTheFloorOnSst2Dev() {
        Path dev = Paths.get(System.getProperty("heed.data.dir", "../shared/data"), "sst2", "dev.tsv");
        assumeTrue(Files.isReadable(dev), "SST-2 dev set not found at " + dev.toAbsolutePath()
                + ": skipping the accuracy floor (set -Dheed.data.dir to the shared data folder to run it)");

        try (TransformerEncoder encoder = TransformerEncoder.load(EncoderVariant.INT8, 256, 0)) {
            SentimentEvaluation.Result result =
                    SentimentEvaluation.evaluate(encoder, SentimentHead.bundled(), LabeledTexts.readTsv(dev));

            System.out.printf("SST-2 dev accuracy %.4f over %d examples (%.0f examples/s)%n",
                    result.accuracy(), result.examples(), result.examplesPerSecond());
            assertThat(result.examples()).isEqualTo(872);
            assertThat(result.accuracy()).isGreaterThanOrEqualTo(FLOOR);
        }
    }
}
