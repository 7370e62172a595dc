/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolArgumentsTest {
    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>(Map.of("encoder", "int8"));

    @Test
    void argumentsOverrideDefaultsAndDefaultsStayUntouched() {
        assertThat(ToolArguments.parse(new String[] {"--encoder", "fp32"}, DEFAULTS))
                .containsEntry("encoder", "fp32");
        assertThat(ToolArguments.parse(new String[0], DEFAULTS)).containsEntry("encoder", "int8");
        assertThat(DEFAULTS).containsEntry("encoder", "int8");
    }

    @Test
    void unknownKeysAndMissingValuesFailNamingTheKnownOptions() {
        assertThatThrownBy(() -> ToolArguments.parse(new String[] {"--encodr", "fp32"}, DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--encodr")
                .hasMessageContaining("[--encoder]");
        assertThatThrownBy(() -> ToolArguments.parse(new String[] {"--encoder"}, DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing value");
    }
}
