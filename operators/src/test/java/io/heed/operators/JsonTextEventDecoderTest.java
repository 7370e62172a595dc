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

class JsonTextEventDecoderTest {
    private final JsonTextEventDecoder decoder = new JsonTextEventDecoder();

    @Test
    void decodesAnEventWithEscapedLoneSurrogatesAsTheyAre() throws Exception {
        TextEvent event = decoder.decode(bytes("{\"id\":\"s\",\"text\":\"a \\ud800 b \\udc00\"}"));

        assertThat(event.getText()).isEqualTo("a \ud800 b \udc00");
    }

    @Test
    void rejectsTwoEventsConcatenatedInOnePayloadInsteadOfDroppingTheSecond() {
        String twoEvents = "{\"id\":\"a\",\"text\":\"one\"}{\"id\":\"b\",\"text\":\"two\"}";
        assertThatThrownBy(() -> decoder.decode(bytes(twoEvents))).isInstanceOf(TextEventDecoder.DecodeException.class);
        assertThatThrownBy(() -> decoder.decode(bytes("{\"id\":\"a\",\"text\":\"one\"} trailing")))
                .isInstanceOf(TextEventDecoder.DecodeException.class);
    }

    @Test
    void rejectsADuplicatedKeyRatherThanPickOneOfItsValues() {
        assertThatThrownBy(() -> decoder.decode(bytes("{\"id\":\"a\",\"text\":\"benign\",\"text\":\"other\"}")))
                .isInstanceOf(TextEventDecoder.DecodeException.class)
                .hasMessageContaining("text");
    }

    @Test
    void acceptsTrailingWhiteSpaceAndAByteOrderMark() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] json = bytes("{\"id\":\"a\",\"text\":\"fine\"}\n  ");
        byte[] payload = new byte[bom.length + json.length];
        System.arraycopy(bom, 0, payload, 0, bom.length);
        System.arraycopy(json, 0, payload, bom.length, json.length);

        assertThat(decoder.decode(payload).getText()).isEqualTo("fine");
    }

    @Test
    void rejectsInvalidUtf8InsideAString() {
        byte[] payload = bytes("{\"id\":\"a\",\"text\":\"bad XX bytes\"}");
        int at = new String(payload, StandardCharsets.US_ASCII).indexOf("XX");
        payload[at] = (byte) 0xC3;
        payload[at + 1] = (byte) 0x28;

        assertThatThrownBy(() -> decoder.decode(payload)).isInstanceOf(TextEventDecoder.DecodeException.class);
    }

    @Test
    void rejectsNestingDeeperThanTheParserAllowsWithoutOverflowingTheStack() {
        String nested = "[".repeat(100_000) + "]".repeat(100_000);

        assertThatThrownBy(() -> decoder.decode(bytes(nested))).isInstanceOf(TextEventDecoder.DecodeException.class);
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
