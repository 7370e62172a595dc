/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every public type of the operators is marked the way Flink's connectors mark theirs: {@code @PublicEvolving} for
 * what users build on, {@code @Internal} for what is public only for Heed's own modules. Internals stay
 * package-private.
 */
class ApiStabilityTest {
    private static final Path MAIN = Path.of("src", "main", "java");
    private static final Pattern PUBLIC_TYPE =
            Pattern.compile("^public (final |abstract )*(class|enum|record|interface) ", Pattern.MULTILINE);
    private static final Pattern MARKED =
            Pattern.compile("^@(PublicEvolving|Public|Internal)\\s*\\n(@\\w+.*\\n)*public ", Pattern.MULTILINE);

    @Test
    void everyPublicTypeSaysWhetherItIsApi() throws IOException {
        List<Path> sources;
        try (Stream<Path> walk = Files.walk(MAIN)) {
            sources = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        int publicTypes = 0;
        for (Path source : sources) {
            String code = Files.readString(source);
            if (PUBLIC_TYPE.matcher(code).find()) {
                publicTypes++;
                assertThat(MARKED.matcher(code).find())
                        .as("%s: a public type needs @PublicEvolving or @Internal", source)
                        .isTrue();
            }
        }
        assertThat(publicTypes).isGreaterThanOrEqualTo(5);
    }
}
