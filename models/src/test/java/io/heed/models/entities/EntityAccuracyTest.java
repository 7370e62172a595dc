package io.heed.models.entities;

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
 * The bundled heads' quality floors on CoNLL-2003 test, with the encoder's original weights and with Heed's
 * fine-tuned ones. Needs ../shared/data (CI has it; a plain clone skips).
 */
class EntityAccuracyTest {

    @ParameterizedTest
    @CsvSource({"FROZEN, 0.80", "TUNED, 0.86"})
    void bundledHeadReachesTheFloorOnConll2003Test(EncoderWeights weights, double floor) {
        Path test = Paths.get(System.getProperty("heed.data.dir", "../shared/data"), "conll2003", "test.txt");
        assumeTrue(Files.isReadable(test), "CoNLL-2003 test set not found at " + test.toAbsolutePath()
                + ": skipping the entity F1 floor (set -Dheed.data.dir to the shared data folder to run it)");

        try (TransformerEncoder encoder = TransformerEncoder.load(EncoderVariant.INT8, weights, Windowing.of(256), 0,
                InferenceDevice.cpu())) {
            EntityEvaluation.Result result =
                    EntityEvaluation.evaluate(encoder, EntityHead.bundled(weights), ConllReader.read(test));

            System.out.printf("CoNLL-2003 test (%s), %d sentences (%.0f sentences/s):%n%s", weights, result.sentences(),
                    result.examplesPerSecond(), result.toMarkdown());
            assertThat(result.sentences()).isEqualTo(3453);
            assertThat(result.micro().gold()).isEqualTo(5648);
            assertThat(result.perType()).containsOnlyKeys("PER", "ORG", "LOC", "MISC");
            assertThat(result.micro().f1()).isGreaterThanOrEqualTo(floor);
        }
    }
}
