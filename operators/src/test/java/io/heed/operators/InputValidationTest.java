/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import static org.assertj.core.api.Assertions.assertThat;

import io.heed.schemas.DeadLetterReason;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InputValidationTest {
    private final InputValidation validation = new InputValidation(1 << 20);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " \t\r\n ",
                "\u00a0\u2007\u202f",
                "\u3000",
                "\u200b\u200c\u200d\u2060\ufeff",
                "\u202e\u202c\u2066\u2069\u200e\u200f",
                "\u0000\u0001\u0007\u001b\u007f",
                "\u0085 \u0000 \u00a0"
            })
    void aTextWithNothingVisibleIsBlank(String text) {
        assertThat(reason(text)).contains(DeadLetterReason.BLANK_TEXT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", ".", "7", "\u0000a", "\u200b\u00e9", "\ud800", "\ud83d\ude00", "\u0301", "\u05d0"})
    void aTextWithAnyVisibleOrUnpairedCharacterPasses(String text) {
        assertThat(reason(text)).isEmpty();
    }

    @Test
    void aTextOverTheByteLimitIsTooLargeEvenWhenItHasFewerCharsThanTheLimit() {
        InputValidation small = new InputValidation(10);

        assertThat(small.check(TestEvents.event("x", "\u00e9".repeat(6))).map(Rejection::reason))
                .contains(DeadLetterReason.TEXT_TOO_LARGE);
        assertThat(small.check(TestEvents.event("x", "\u00e9".repeat(5))).map(Rejection::reason))
                .isEmpty();
    }

    private Optional<DeadLetterReason> reason(String text) {
        return validation.check(TestEvents.event("x", text)).map(Rejection::reason);
    }
}
