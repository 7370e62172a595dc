/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.entities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heed.models.HeadFile;
import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.EncoderWeights;
import io.heed.models.encoder.TokenStates;
import io.heed.models.encoder.TransformerEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled head on the bundled int8 encoder, on real and hostile texts. */
class EntityHeadTest {
    private static TransformerEncoder encoder;

    @BeforeAll
    static void loadEncoder() {
        encoder = TransformerEncoder.load(EncoderVariant.INT8, 256, 0);
    }

    @AfterAll
    static void closeEncoder() {
        encoder.close();
    }

    private static List<Entity> entities(String text) {
        TokenStates states = encoder.encode(List.of(text)).get(0);
        return EntityHead.bundled().predict(text, states);
    }

    @Test
    void bundledHeadLoadsOnceWithConllLabelsForTheMiniLmWidth() {
        EntityHead head = EntityHead.bundled();

        assertThat(head.labels()).containsExactlyElementsOf(BioTags.CONLL_LABELS);
        assertThat(head.hiddenSize()).isEqualTo(384);
        assertThat(head.sha256()).hasSize(64);
        assertThat(EntityHead.bundled()).isSameAs(head);
    }

    @Test
    void findsPeopleAndPlacesWithExactOffsets() {
        String text = "Angela Merkel met Tim Cook in Berlin on Monday.";

        List<Entity> entities = entities(text);

        assertThat(entities)
                .extracting(Entity::text, Entity::type, Entity::start, Entity::end)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("Angela Merkel", "PER", 0, 13),
                        org.assertj.core.groups.Tuple.tuple("Tim Cook", "PER", 18, 26),
                        org.assertj.core.groups.Tuple.tuple("Berlin", "LOC", 30, 36));
        assertWellFormed(text, entities);
    }

    @Test
    void entitiesNeitherStartNorEndWithPunctuationOrSymbols() {
        // Seen in the demo before the trim: the CRF carried a name on into "!!!" and the emoji after it.
        String text = "happy birthday Tomás!!! 🎉🎂 hope you have an amazing day";

        List<Entity> entities = entities(text);

        assertThat(entities).isNotEmpty().allSatisfy(entity -> {
            assertThat(entity.text().codePointAt(0)).matches(Character::isLetterOrDigit, "starts with a letter");
            assertThat(entity.text().codePointBefore(entity.text().length()))
                    .matches(Character::isLetterOrDigit, "ends with a letter");
        });
        assertThat(entities).extracting(Entity::text).contains("Tomás");
        assertWellFormed(text, entities);
    }

    @Test
    void neverFailsOnEmptyOddOrWordlessTexts() {
        List<String> texts = List.of(
                "",
                "   \n\t ",
                "🙂🙂🙂",
                "!!! ... ???",
                "\u0000\u0001\u0007",
                "東京でAngela Merkelに会った。",
                "Zoë 👋🏽 met  Tim   Cook,in\u00a0Paris 🇫🇷!!",
                "\uD83D",
                "a\uDE00b Berlin");

        for (String text : texts) {
            assertWellFormed(text, entities(text));
        }
        assertThat(entities("")).isEmpty();
        assertThat(entities("   \n\t ")).isEmpty();
    }

    @Test
    void offsetsStayExactAfterSurrogatePairsAndRepeatedSpaces() {
        String text = "👋🏽🇫🇷  \t Angela   Merkel visited Berlin.";

        List<Entity> entities = entities(text);

        assertWellFormed(text, entities);
        assertThat(entities).extracting(Entity::text).contains("Berlin");
        Entity berlin = entities.stream()
                .filter(e -> e.text().equals("Berlin"))
                .findFirst()
                .orElseThrow();
        assertThat(berlin.start()).isEqualTo(text.indexOf("Berlin"));
    }

    @Test
    void coversTextsLongerThanTheEncoderWindow() {
        String sentence = "Angela Merkel met Tim Cook in Berlin on Monday. ";
        String text = sentence.repeat(40);

        List<Entity> entities = entities(text);

        assertWellFormed(text, entities);
        // The last copy, far past the first 256-token window, is still found at its own offsets.
        int lastCopy = text.lastIndexOf("Berlin");
        assertThat(entities).anySatisfy(e -> assertThat(e.start()).isEqualTo(lastCopy));
    }

    @Test
    void rejectsStatesOfAnotherWidthNamingTheMismatch() {
        TokenStates narrow = new TokenStates(
                new float[3 * 8],
                8,
                new String[] {"[CLS]", "a", "[SEP]"},
                new int[] {0, 0, 0},
                new int[] {0, 1, 0},
                false);

        assertThatThrownBy(() -> EntityHead.bundled().predict("a", narrow))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("width 384")
                .hasMessageContaining("does not match the encoder");
    }

    @Test
    void corruptOrForeignFilesFailWithTheFileName(@TempDir Path dir) throws IOException {
        Path garbage = dir.resolve("garbage.bin");
        Files.write(garbage, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        assertThatThrownBy(() -> EntityHead.read(garbage))
                .hasMessageContaining("garbage.bin")
                .hasMessageContaining("bad magic");

        Map<String, HeadFile.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", new HeadFile.Tensor(new int[] {2}, new float[] {1, 2}));
        Path foreign = dir.resolve("foreign.bin");
        Files.write(foreign, new HeadFile("some-other-head", List.of("x"), tensors).toBytes());
        assertThatThrownBy(() -> EntityHead.read(foreign))
                .hasMessageContaining("foreign.bin")
                .hasMessageContaining("not an entity head");

        Path copy = dir.resolve("copy.bin");
        Files.write(
                copy,
                EntityHead.class
                        .getClassLoader()
                        .getResourceAsStream(EntityHead.BUNDLED_FILE)
                        .readAllBytes());
        assertThat(EntityHead.read(copy).sha256())
                .isEqualTo(EntityHead.bundled(EncoderWeights.FROZEN).sha256());
    }

    /** Exact, in-bounds, ordered, non-overlapping spans of known types with scores in [0, 1]. */
    static void assertWellFormed(String text, List<Entity> entities) {
        int previousEnd = 0;
        for (Entity entity : entities) {
            assertThat(entity.start()).isGreaterThanOrEqualTo(previousEnd);
            assertThat(entity.end()).isLessThanOrEqualTo(text.length());
            assertThat(entity.text())
                    .isEqualTo(text.substring(entity.start(), entity.end()))
                    .isNotBlank();
            assertThat(entity.type()).isIn(Set.of("PER", "ORG", "LOC", "MISC"));
            assertThat(entity.score()).isBetween(0f, 1f);
            previousEnd = entity.end();
        }
    }
}
