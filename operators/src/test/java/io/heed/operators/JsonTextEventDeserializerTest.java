/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heed.schemas.TextEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTextEventDeserializerTest {
    private final JsonTextEventDeserializer decoder = new JsonTextEventDeserializer();

    @Test
    void decodesAnEventWithEscapedLoneSurrogatesAsTheyAre() throws Exception {
        TextEvent event = decoder.deserialize(bytes("{\"id\":\"s\",\"text\":\"a \\ud800 b \\udc00\"}"));

        assertThat(event.getText()).isEqualTo("a \ud800 b \udc00");
    }

    @Test
    void rejectsTwoEventsConcatenatedInOnePayloadInsteadOfDroppingTheSecond() {
        String twoEvents = "{\"id\":\"a\",\"text\":\"one\"}{\"id\":\"b\",\"text\":\"two\"}";
        assertThatThrownBy(() -> decoder.deserialize(bytes(twoEvents))).isInstanceOf(java.io.IOException.class);
        assertThatThrownBy(() -> decoder.deserialize(bytes("{\"id\":\"a\",\"text\":\"one\"} trailing")))
                .isInstanceOf(java.io.IOException.class);
    }

    @Test
    void rejectsADuplicatedKeyRatherThanPickOneOfItsValues() {
        assertThatThrownBy(() -> decoder.deserialize(bytes("{\"id\":\"a\",\"text\":\"benign\",\"text\":\"other\"}")))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("text");
    }

    @Test
    void acceptsTrailingWhiteSpaceAndAByteOrderMark() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] json = bytes("{\"id\":\"a\",\"text\":\"fine\"}\n  ");
        byte[] payload = new byte[bom.length + json.length];
        System.arraycopy(bom, 0, payload, 0, bom.length);
        System.arraycopy(json, 0, payload, bom.length, json.length);

        assertThat(decoder.deserialize(payload).getText()).isEqualTo("fine");
    }

    @Test
    void rejectsInvalidUtf8InsideAString() {
        byte[] payload = bytes("{\"id\":\"a\",\"text\":\"bad XX bytes\"}");
        int at = new String(payload, StandardCharsets.US_ASCII).indexOf("XX");
        payload[at] = (byte) 0xC3;
        payload[at + 1] = (byte) 0x28;

        assertThatThrownBy(() -> decoder.deserialize(payload)).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void rejectsNestingDeeperThanTheParserAllowsWithoutOverflowingTheStack() {
        String nested = "[".repeat(100_000) + "]".repeat(100_000);

        assertThatThrownBy(() -> decoder.deserialize(bytes(nested))).isInstanceOf(java.io.IOException.class);
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
