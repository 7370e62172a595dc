/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import static org.assertj.core.api.Assertions.assertThat;

import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.TokenStates;
import io.heed.models.encoder.TransformerEncoder;
import io.heed.schemas.DeadLetterReason;
import io.heed.schemas.TextEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Decoding and validation are total over hostile input: whatever bytes arrive, a decoder returns a TextEvent or throws
 * its IOException (which the operator turns into a dead letter), never another exception that would fail the job;
 * and whatever Unicode text a valid event carries, validation and the tokenizer accept it without throwing.
 *
 * <p>Each property runs its hand-picked cases, then a fixed number of tries from a {@link Random} with a fixed seed, so
 * a failure reproduces on every run; the failure message names the seed, the try and the input (escaped).
 */
class DecoderPropertiesTest {
    private static final long AVRO_SEED = 0x5EED_A7_0001L;
    private static final long JSON_SEED = 0x5EED_15_0002L;
    private static final long TEXT_SEED = 0x5EED_7E_0003L;
    private static final long TOKENIZER_SEED = 0x5EED_70_0004L;

    /**
     * Texts that found or guard against real bugs: "\ud800!" put the tokenizer's offsets past the end of the text
     * before unpaired surrogates were replaced; the others are the boundaries of the same classes.
     */
    private static final List<String> EDGE_TEXTS = List.of(
            "",
            " ",
            "\ud800!",
            "\ud800",
            "\udc00",
            "!\udfff",
            "\udc00\ud800",
            "a\ud83d",
            "\ude00a",
            "\u0000",
            "\u001f\u007f",
            "\u00a0\u3000\ufeff",
            "\u200b\u200c\u200d",
            "\u202e\u2066abc\u2069\u202c",
            "\u0301",
            "a\u0300\u036f",
            "\u05d0\u05d1 \u0627\u0644",
            "\ufffd",
            "\ud83d\ude00",
            "\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67",
            "\ud83d\udc4d\ud83c\udffd",
            "\udbff\udfff",
            "\n\t",
            "\u4e2d\u6587");

    @Test
    void avroDecoderReturnsAnEventOrThrowsIOExceptionForAnyBytes() {
        org.apache.flink.api.common.serialization.DeserializationSchema<TextEvent> decoder =
                TextEventDeserializers.avro();
        List<byte[]> edges = new ArrayList<>(List.of(new byte[0], new byte[] {0}, new byte[] {-1}, new byte[] {2, 0}));
        EDGE_TEXTS.forEach(text -> edges.add(TestEvents.avro(TestEvents.event("id", text))));
        forAll(
                "avro",
                AVRO_SEED,
                2000,
                edges,
                DecoderPropertiesTest::avroLikeBytes,
                DecoderPropertiesTest::hex,
                payload -> assertDecodesOrRejects(decoder, payload));
    }

    @Test
    void jsonDecoderReturnsAnEventOrThrowsIOExceptionForAnyBytes() {
        JsonTextEventDeserializer decoder = new JsonTextEventDeserializer();
        List<byte[]> edges = new ArrayList<>();
        for (String json : List.of(
                "",
                "{",
                "}",
                "[]",
                "null",
                "\"x\"",
                "{}",
                "{\"id\":null}",
                "{\"id\":\"a\"}",
                "{\"id\":\"a\",\"text\":\"b\"}{}",
                "{\"id\":\"a\",\"text\":\"\\ud800\"}",
                "{\"id\":\"a\",\"text\":\"\\u",
                "{\"id\":1e999999,\"text\":\"b\"}")) {
            edges.add(json.getBytes(StandardCharsets.UTF_8));
        }
        edges.add(new byte[] {'{', '"', (byte) 0xC3, '"'});
        EDGE_TEXTS.forEach(text -> edges.add(jsonEvent("id", text)));
        forAll(
                "json",
                JSON_SEED,
                2000,
                edges,
                DecoderPropertiesTest::jsonLikeBytes,
                DecoderPropertiesTest::hex,
                payload -> assertDecodesOrRejects(decoder, payload));
    }

    @Test
    void anyUnicodeTextInAValidJsonEventDecodesUnchangedAndValidatesWithoutThrowing() {
        JsonTextEventDeserializer decoder = new JsonTextEventDeserializer();
        InputValidation validation = new InputValidation(1 << 20);
        forAll(
                "text",
                TEXT_SEED,
                1000,
                EDGE_TEXTS,
                DecoderPropertiesTest::hostileText,
                DecoderPropertiesTest::escape,
                text -> {
                    TextEvent event;
                    try {
                        event = decoder.deserialize(jsonEvent("p", text));
                    } catch (java.io.IOException e) {
                        throw new AssertionError("a valid JSON event was rejected: " + e.getMessage(), e);
                    }
                    assertThat(event.getText()).isEqualTo(text);
                    Optional<Rejection> rejection = validation.check(event);
                    rejection.ifPresent(r -> assertThat(r.reason()).isEqualTo(DeadLetterReason.BLANK_TEXT));
                    assertThat(rejection.isPresent()).isEqualTo(InputValidation.hasNothingVisible(text));
                });
    }

    /**
     * The operator hands the model its text with unpaired surrogates replaced ({@link UnpairedSurrogates}): without
     * that, the tokenizer's lossy JNI decoding put offsets past the end of a two-char text such as "\ud800!".
     */
    @Test
    void tokenizerAcceptsAnyTextTheOperatorHandsItAndGivesCharOffsetsInsideIt() {
        // Loading takes a second, tokenizing a text microseconds: one encoder for all the tries.
        try (TransformerEncoder encoder = TransformerEncoder.load(EncoderVariant.INT8, 128, 1)) {
            forAll(
                    "tokenizer",
                    TOKENIZER_SEED,
                    50,
                    EDGE_TEXTS,
                    DecoderPropertiesTest::hostileText,
                    DecoderPropertiesTest::escape,
                    anyText -> assertTokenOffsetsInside(encoder, anyText));
        }
    }

    private static void assertTokenOffsetsInside(TransformerEncoder encoder, String anyText) {
        String text = UnpairedSurrogates.replace(anyText);
        assertThat(text).hasSameSizeAs(anyText);
        int tokens = encoder.tokenCount(text);
        TokenStates states = encoder.encode(List.of(text)).get(0);

        assertThat(tokens).as("[CLS] and [SEP] at least").isGreaterThanOrEqualTo(2);
        assertThat(states.length()).isEqualTo(tokens);
        for (int t = 0; t < states.length(); t++) {
            int start = states.charStarts()[t];
            int end = states.charEnds()[t];
            assertThat(start)
                    .as("start of token %d '%s'", t, states.tokens()[t])
                    .isBetween(0, end);
            assertThat(end).as("end of token %d '%s'", t, states.tokens()[t]).isLessThanOrEqualTo(text.length());
        }
    }

    private static void assertDecodesOrRejects(
            org.apache.flink.api.common.serialization.DeserializationSchema<TextEvent> decoder, byte[] payload) {
        try {
            TextEvent event = decoder.deserialize(payload);
            assertThat(event).isNotNull();
            assertThat(event.getId()).isNotNull();
        } catch (java.io.IOException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    /** A check that may throw anything; whatever it throws fails the property. */
    private interface Check<T> {
        void accept(T input) throws Throwable;
    }

    /**
     * Runs the check on each edge case, then on {@code tries} inputs drawn from a Random seeded with {@code seed}.
     * The first failure ends the property with the seed, the try and the escaped input in its message.
     */
    private static <T> void forAll(
            String property,
            long seed,
            int tries,
            List<T> edges,
            Function<Random, T> generator,
            Function<T, String> show,
            Check<T> check) {
        for (int i = 0; i < edges.size(); i++) {
            T input = edges.get(i);
            int edge = i;
            run(
                    check,
                    input,
                    () -> String.format("%s: edge case %d failed for input %s", property, edge, show.apply(input)));
        }
        Random random = new Random(seed);
        for (int i = 0; i < tries; i++) {
            T input = generator.apply(random);
            int attempt = i + 1;
            run(
                    check,
                    input,
                    () -> String.format(
                            "%s: try %d of %d (seed %dL) failed for input %s",
                            property, attempt, tries, seed, show.apply(input)));
        }
    }

    private static <T> void run(Check<T> check, T input, Supplier<String> describe) {
        try {
            check.accept(input);
        } catch (Throwable failure) {
            throw new AssertionError(describe.get() + ": " + failure, failure);
        }
    }

    /** Random bytes, and valid Avro events with bytes flipped, cut off or appended (closer to what slips through). */
    private static byte[] avroLikeBytes(Random random) {
        return random.nextBoolean()
                ? randomBytes(random)
                : mutated(random, TestEvents.avro(TestEvents.event("id", hostileText(random))));
    }

    /** Random bytes, JSON-ish characters, and valid JSON events with bytes flipped, cut off or appended. */
    private static byte[] jsonLikeBytes(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> randomBytes(random);
            case 1 ->
                randomString(random, 60, r -> pick(r, "{}[]\":,.-0123456789eE \\tnrufalsid"))
                        .getBytes(StandardCharsets.UTF_8);
            default -> mutated(random, jsonEvent("id", hostileText(random)));
        };
    }

    private static final String TRICKY_CHARS;

    static {
        StringBuilder chars = new StringBuilder();
        char[][] ranges = {
            {'\u0000', '\u001f'},
            {'\u0300', '\u036f'},
            {'\u0590', '\u06ff'},
            {'\u200b', '\u200f'},
            {'\u202a', '\u202e'},
            {'\u2066', '\u2069'},
            {'\ud800', '\udfff'}
        };
        for (char[] range : ranges) {
            for (char c = range[0]; c <= range[1]; c++) {
                chars.append(c);
            }
        }
        chars.append("\u00a0\u3000\ufeff\ufffd\u007f").append("aZ .!?\n\t7\u4e2d\u6587");
        TRICKY_CHARS = chars.toString();
    }

    private static final List<String> EMOJI = List.of(
            "\ud83d\ude00", "\ud83d\udc4d\ud83c\udffd", "\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67", "x");

    /**
     * Texts of any UTF-16 units, lone surrogates included; of the characters tokenizers and validators trip on:
     * controls, zero-width and bidi format characters, combining marks, no-break spaces, right-to-left letters, lone
     * surrogates; of emoji sequences; and of astral code points from every supplementary plane.
     */
    private static String hostileText(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> randomString(random, 80, r -> String.valueOf((char) r.nextInt(Character.MAX_VALUE + 1)));
            case 1 -> randomString(random, 80, r -> pick(r, TRICKY_CHARS));
            case 2 -> {
                StringBuilder text = new StringBuilder();
                for (int n = random.nextInt(31); n > 0; n--) {
                    text.append(EMOJI.get(random.nextInt(EMOJI.size())));
                }
                yield text.toString();
            }
            default ->
                randomString(
                        random,
                        40,
                        r -> r.nextInt(4) == 0
                                ? pick(r, TRICKY_CHARS)
                                : Character.toString(Character.MIN_SUPPLEMENTARY_CODE_POINT
                                        + r.nextInt(Character.MAX_CODE_POINT
                                                - Character.MIN_SUPPLEMENTARY_CODE_POINT
                                                + 1)));
        };
    }

    /** Up to {@code maxParts} parts (each a char or a code point), the length itself random and often short. */
    private static String randomString(Random random, int maxParts, Function<Random, String> part) {
        int parts = random.nextInt(4) == 0 ? random.nextInt(4) : random.nextInt(maxParts + 1);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < parts; i++) {
            text.append(part.apply(random));
        }
        return text.toString();
    }

    private static String pick(Random random, String chars) {
        return String.valueOf(chars.charAt(random.nextInt(chars.length())));
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(4) == 0 ? random.nextInt(4) : random.nextInt(201)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** One byte set to a random value, the bytes cut off at a random index, or 1 to 8 bytes appended. */
    private static byte[] mutated(Random random, byte[] bytes) {
        if (bytes.length == 0) {
            return bytes;
        }
        int index = random.nextInt(bytes.length);
        byte value = (byte) random.nextInt(256);
        return switch (random.nextInt(3)) {
            case 0 -> {
                byte[] flipped = bytes.clone();
                flipped[index] = value;
                yield flipped;
            }
            case 1 -> Arrays.copyOf(bytes, index);
            default -> {
                byte[] longer = Arrays.copyOf(bytes, bytes.length + 1 + index % 8);
                longer[bytes.length] = value;
                yield longer;
            }
        };
    }

    /** A JSON event whose text is written with a \\u escape per UTF-16 unit, so lone surrogates survive encoding. */
    private static byte[] jsonEvent(String id, String text) {
        StringBuilder json = new StringBuilder("{\"id\":\"").append(id).append("\",\"text\":\"");
        for (int i = 0; i < text.length(); i++) {
            json.append(String.format("\\u%04x", (int) text.charAt(i)));
        }
        return json.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The text as a Java string literal: printable ASCII as is, every other UTF-16 unit as a \\u escape. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                escaped.append(c);
            } else {
                escaped.append(String.format("\\u%04x", (int) c));
            }
        }
        return escaped.append('"').toString();
    }

    private static String hex(byte[] bytes) {
        return bytes.length + " bytes 0x" + HexFormat.of().formatHex(bytes);
    }
}
