/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's library snippet is {@link TextEnrichment}, which this module compiles against the real API: the test
 * fails when the two differ, so the snippet cannot go stale.
 */
class ReadmeSnippetTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Path SOURCE =
            Path.of("src", "test", "java", "io", "heed", "operators", "readme", "TextEnrichment.java");

    @Test
    void theReadmeSnippetIsTheCompiledClass() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int begin = readme.indexOf("<!-- snippet:library:begin -->");
        int end = readme.indexOf("<!-- snippet:library:end -->");
        assertThat(begin).as("README.md has the snippet markers").isNotNegative();
        assertThat(end).isGreaterThan(begin);
        String block = readme.substring(begin, end);
        String code = block.substring(block.indexOf("```java\n") + "```java\n".length(), block.lastIndexOf("```"));

        String source = Files.readString(SOURCE, StandardCharsets.UTF_8);
        String withoutPackage = source.substring(source.indexOf('\n', source.indexOf("package ")) + 1)
                .stripLeading();
        assertThat(code.strip()).isEqualTo(withoutPackage.strip());
    }
}
