/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.sentiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabeledTextsTest {
    @Test
    void readsSst2LayoutAndNamedLabels(@TempDir Path dir) throws IOException {
        Path sst = dir.resolve("sst.tsv");
        Files.writeString(sst, "sentence\tlabel\nit 's a charming journey . \t1\nbland and tired\t0\n");
        Path named = dir.resolve("named.tsv");
        Files.writeString(named, "id\tlabel\ttext\n1\tpositive\tLoved it\n2\tNegative\tHated it\n\n");

        assertThat(LabeledTexts.readTsv(sst))
                .containsExactly(
                        new LabeledTexts.Example("it 's a charming journey . ", 1),
                        new LabeledTexts.Example("bland and tired", 0));
        assertThat(LabeledTexts.readTsv(named))
                .extracting(LabeledTexts.Example::label)
                .containsExactly(1, 0);
    }

    @Test
    void explainsBadHeadersAndLabels(@TempDir Path dir) throws IOException {
        Path noText = dir.resolve("no-text.tsv");
        Files.writeString(noText, "review\tlabel\nok\t1\n");
        Path badLabel = dir.resolve("bad-label.tsv");
        Files.writeString(badLabel, "text\tlabel\nok\tmaybe\n");

        assertThatThrownBy(() -> LabeledTexts.readTsv(noText)).hasMessageContaining("text column");
        assertThatThrownBy(() -> LabeledTexts.readTsv(badLabel))
                .hasMessageContaining("line 2")
                .hasMessageContaining("'maybe'");
    }
}
