/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryEvaluationTest {
    @TempDir
    Path dir;

    @Test
    void readsArticlesWithoutTheirTitleLine() throws IOException {
        Path file = dir.resolve("news.jsonl");
        Files.writeString(file, """
                {"id": "a/1", "title": "Big news", "article": "Big news\\n\\nFirst sentence. Second.", \
                "summary": "First sentence."}

                {"article": "No title field.", "summary": "No title field."}
                """);
        assertThat(SummaryEvaluation.readJsonl(file))
                .containsExactly(
                        new SummaryEvaluation.Article("First sentence. Second.", "First sentence."),
                        new SummaryEvaluation.Article("No title field.", "No title field."));
    }

    @Test
    void errorsNameTheFileAndLine() throws IOException {
        Path broken = dir.resolve("broken.jsonl");
        Files.writeString(broken, "{\"article\": \"a\", \"summary\": \"b\"}\n{\"article\": \"a\"\n");
        assertThatThrownBy(() -> SummaryEvaluation.readJsonl(broken)).hasMessageContaining("broken.jsonl line 2");
        Path missing = dir.resolve("missing.jsonl");
        Files.writeString(missing, "{\"article\": \"a\", \"summary\": \"b\"}\n{\"article\": \"a\", \"summary\": 3}\n");
        assertThatThrownBy(() -> SummaryEvaluation.readJsonl(missing))
                .hasMessageContaining("missing.jsonl line 2")
                .hasMessageContaining("\"summary\"");
        assertThatThrownBy(() -> SummaryEvaluation.readJsonl(dir.resolve("absent.jsonl")))
                .hasMessageContaining("absent.jsonl");
    }

    @Test
    void tuningAndEvaluationSplitsInterleaveAndDoNotOverlap() {
        List<Integer> items = List.of(0, 1, 2, 3, 4, 5, 6);
        assertThat(SummaryEvaluation.evaluationSplit(items.stream()
                        .map(i -> new SummaryEvaluation.Article("t" + i, "r"))
                        .toList()))
                .extracting(SummaryEvaluation.Article::text)
                .containsExactly("t0", "t2", "t4", "t6");
        assertThat(SummaryEvaluation.tuningSplit(items.stream()
                        .map(i -> new SummaryEvaluation.Article("t" + i, "r"))
                        .toList()))
                .extracting(SummaryEvaluation.Article::text)
                .containsExactly("t1", "t3", "t5");
    }
}
