/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.entities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConllReaderTest {

    @Test
    void readsSentencesBetweenBlankLinesAndDocumentSeparators(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("train.txt");
        Files.writeString(file, """
                -DOCSTART- -X- -X- O

                EU NNP B-NP B-ORG
                rejects VBZ B-VP O
                German JJ B-NP B-MISC

                Peter NNP B-NP B-PER
                Blackburn NNP I-NP I-PER
                -DOCSTART- -X- -X- O
                BRUSSELS NNP B-NP B-LOC
                """);

        List<ConllReader.Sentence> sentences = ConllReader.read(file);

        assertThat(sentences).hasSize(3);
        assertThat(sentences.get(0).words()).containsExactly("EU", "rejects", "German");
        assertThat(sentences.get(0).tags()).containsExactly("B-ORG", "O", "B-MISC");
        assertThat(sentences.get(1).tags()).containsExactly("B-PER", "I-PER");
        assertThat(sentences.get(2).words()).containsExactly("BRUSSELS");
    }

    @Test
    void normalisesIob1ToIob2AndTakesTokenFirstAndTagLast(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("iob1.txt");
        // IOB1: I- opens an entity; B- only separates two adjacent entities of the same type.
        Files.writeString(file, "Peter\tI-PER\nBlackburn\tI-PER\nJohn\tB-PER\nin\tO\nLondon\tI-LOC\nUK\tI-ORG\n");

        ConllReader.Sentence sentence = ConllReader.read(file).get(0);

        assertThat(sentence.words()).containsExactly("Peter", "Blackburn", "John", "in", "London", "UK");
        assertThat(sentence.tags()).containsExactly("B-PER", "I-PER", "B-PER", "O", "B-LOC", "B-ORG");
    }

    @Test
    void malformedLinesFailNamingFileAndLine(@TempDir Path dir) throws IOException {
        Path oneColumn = dir.resolve("one-column.txt");
        Files.writeString(oneColumn, "EU NNP B-NP B-ORG\nrejects\n");
        assertThatThrownBy(() -> ConllReader.read(oneColumn))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one-column.txt")
                .hasMessageContaining("line 2");

        Path badTag = dir.resolve("bad-tag.txt");
        Files.writeString(badTag, "\n\nEU NNP B-NP ORG\n");
        assertThatThrownBy(() -> ConllReader.read(badTag))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad-tag.txt")
                .hasMessageContaining("line 3")
                .hasMessageContaining("'ORG'");
    }
}
