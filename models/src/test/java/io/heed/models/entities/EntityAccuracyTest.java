package io.heed.models.entities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.TransformerEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** The bundled head's quality floor on CoNLL-2003 test. Needs ../shared/data (CI has it; a plain clone skips). */
class EntityAccuracyTest {
    private static final double FLOOR = 0.80;

    @Test
    void bundledHeadReachesTheFloorOnConll2003Test() {
        Path test = Paths.get(System.getProperty("heed.data.dir", "../shared/data"), "conll2003", "test.txt");
        assumeTrue(Files.isReadable(test), "CoNLL-2003 test set not found at " + test.toAbsolutePath()
                + ": skipping the entity F1 floor (set -Dheed.data.dir to the shared data folder to run it)");

        try (TransformerEncoder encoder = TransformerEncoder.load(EncoderVariant.INT8, 256, 0)) {
            EntityEvaluation.Result result =
                    EntityEvaluation.evaluate(encoder, EntityHead.bundled(), ConllReader.read(test));

            System.out.printf("CoNLL-2003 test, %d sentences (%.0f sentences/s):%n%s", result.sentences(),
                    result.examplesPerSecond(), result.toMarkdown());
            assertThat(result.sentences()).isEqualTo(3453);
            assertThat(result.micro().gold()).isEqualTo(5648);
            assertThat(result.perType()).containsOnlyKeys("PER", "ORG", "LOC", "MISC");
            assertThat(result.micro().f1()).isGreaterThanOrEqualTo(FLOOR);
        }
    }
}
