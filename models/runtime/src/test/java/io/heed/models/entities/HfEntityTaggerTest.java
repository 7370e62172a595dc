/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.entities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.heed.models.testutils.HfModelFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entities from a generated token-classification export (a rigged head: plumbing, not quality). */
class HfEntityTaggerTest {
    @TempDir
    static Path tmp;

    static HfEntityTagger tagger;

    @BeforeAll
    static void load() {
        tagger = HfEntityTagger.load(HfModelFixtures.writeTokenClassifier(tmp.resolve("ner-fixture")), 1);
    }

    @AfterAll
    static void close() {
        tagger.close();
    }

    private static List<Entity> entities(String text) {
        List<Entity> entities = tagger.predict(List.of(text)).get(0);
        for (Entity entity : entities) {
            assertThat(text.substring(entity.start(), entity.end())).isEqualTo(entity.text());
            assertThat(entity.score()).isBetween(0f, 1f);
        }
        return entities;
    }

    @Test
    void findsTypedEntitiesWithExactOffsetsAndMergesMultiTokenNames() {
        String text = "Barack Obama met Angela Smith in Berlin, then flew to London for Google.";

        assertThat(entities(text))
                .extracting(Entity::text, Entity::type, Entity::start, Entity::end)
                .containsExactly(
                        tuple("Barack Obama", "PER", 0, 12),
                        tuple("Angela Smith", "PER", 17, 29),
                        tuple("Berlin", "LOC", 33, 39),
                        tuple("London", "LOC", 54, 60),
                        tuple("Google", "ORG", 65, 71));
    }

    @Test
    void anIContinuationAloneStillStartsAnEntity() {
        // "obama" is I-PER first, B-PER second: constrained decoding never starts an entity with I-.
        assertThat(entities("Obama spoke."))
                .extracting(Entity::text, Entity::type)
                .containsExactly(tuple("Obama", "PER"));
    }

    @Test
    void wordPiecesNeverMakeEntitiesOfTheirOwnAndAWordIsTaggedWhole() {
        // Every "##" piece scores I-MISC in the fixture; a word takes its first piece's tag, so no MISC appears,
        // and "Parisville" (paris ##ville) is one LOC word, not "Paris" plus a stray piece.
        String text = "Parisville adore unbelievably complicated Zurichers";
        List<Entity> entities = entities(text);

        assertThat(entities).extracting(Entity::type).doesNotContain("MISC");
        assertThat(entities)
                .extracting(Entity::text, Entity::type)
                .containsExactly(tuple("Parisville", "LOC"), tuple("Zurichers", "LOC"));
    }

    @Test
    void offsetsStayExactAfterEmojiAndAccentedCharacters() {
        String text = "👋🏽🇫🇷 José saw Barack Obama in Zürich 🎉, Café Paris.";
        List<Entity> entities = entities(text);

        assertThat(entities)
                .extracting(Entity::text, Entity::type, Entity::start)
                .containsExactly(
                        tuple("Barack Obama", "PER", text.indexOf("Barack")),
                        tuple("Zürich", "LOC", text.indexOf("Zürich")),
                        tuple("Paris", "LOC", text.indexOf("Paris")));
    }

    @Test
    void batchesTextsOfDifferentLengthsAndOddTexts() {
        List<String> texts =
                List.of("", "🙂", "Paris", "a long text about nothing ".repeat(10) + "in London", "\u0000 Berlin");
        List<List<Entity>> results = tagger.predict(texts);

        assertThat(results).hasSize(5);
        assertThat(results.get(0)).isEmpty();
        assertThat(results.get(1)).isEmpty();
        assertThat(results.get(2)).extracting(Entity::text).containsExactly("Paris");
        assertThat(results.get(3)).extracting(Entity::text).containsExactly("London");
        assertThat(results.get(4)).extracting(Entity::text, Entity::start).containsExactly(tuple("Berlin", 2));
    }

    @Test
    void wordsPastTheModelsMaximumLengthGetNoEntitiesAndDoNotFail() {
        String text = "Paris " + "and so on ".repeat(100) + "London";
        assertThat(entities(text)).extracting(Entity::text).containsExactly("Paris");
    }

    @Test
    void mapsLabelSchemesToHeedTags() {
        List<String> tags = BioTags.CONLL_LABELS;
        Path config = Path.of("config.json");
        assertThat(HfEntityTagger.tagIndices("B-PER", 0, config, tags)).containsExactly(tags.indexOf("B-PER"));
        assertThat(HfEntityTagger.tagIndices("i-person", 0, config, tags)).containsExactly(tags.indexOf("I-PER"));
        assertThat(HfEntityTagger.tagIndices("S-GPE", 0, config, tags)).containsExactly(tags.indexOf("B-LOC"));
        assertThat(HfEntityTagger.tagIndices("Organization", 0, config, tags))
                .containsExactly(tags.indexOf("B-ORG"), tags.indexOf("I-ORG"));
        assertThat(HfEntityTagger.tagIndices("o", 0, config, tags)).containsExactly(tags.indexOf("O"));
    }

    @Test
    void anUnmappableLabelInConfigJsonFailsAtLoad() throws IOException {
        Path dir = HfModelFixtures.writeTokenClassifier(tmp.resolve("bad-labels"));
        Path config = dir.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"B-MISC\"", "\"B-DATE\""));
        assertThatThrownBy(() -> HfEntityTagger.load(dir, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(config.toString())
                .hasMessageContaining("'B-DATE'");
    }
}
