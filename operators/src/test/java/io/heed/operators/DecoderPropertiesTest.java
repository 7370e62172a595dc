package io.heed.operators;

import static org.assertj.core.api.Assertions.assertThat;

import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.TokenStates;
import io.heed.models.encoder.TransformerEncoder;
import io.heed.schemas.DeadLetterReason;
import io.heed.schemas.TextEvent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Decoding and validation are total over hostile input: whatever bytes arrive, a decoder returns a TextEvent or throws
 * its DecodeException (which the operator turns into a dead letter), never another exception that would fail the job;
 * and whatever Unicode text a valid event carries, validation and the tokenizer accept it without throwing.
 */
class DecoderPropertiesTest {
    /** Loaded on first use and shared by the tries: loading takes a second, tokenizing a text microseconds. */
    private static TransformerEncoder encoder;

    @AfterContainer
    static void closeEncoder() {
        if (encoder != null) {
            encoder.close();
            encoder = null;
        }
    }

    @Property(tries = 2000)
    void avroDecoderReturnsAnEventOrThrowsDecodeExceptionForAnyBytes(@ForAll("avroLikeBytes") byte[] payload) {
        assertDecodesOrRejects(new AvroTextEventDecoder(), payload);
    }

    @Property(tries = 2000)
    void jsonDecoderReturnsAnEventOrThrowsDecodeExceptionForAnyBytes(@ForAll("jsonLikeBytes") byte[] payload) {
        assertDecodesOrRejects(new JsonTextEventDecoder(), payload);
    }

    @Property(tries = 1000)
    void anyUnicodeTextInAValidJsonEventDecodesUnchangedAndValidatesWithoutThrowing(
            @ForAll("hostileText") String text) throws Exception {
        TextEvent event = new JsonTextEventDecoder().decode(jsonEvent("p", text));

        assertThat(event.getText()).isEqualTo(text);
        Optional<Rejection> rejection = new InputValidation(1 << 20).check(event);
        rejection.ifPresent(r -> assertThat(r.reason()).isEqualTo(DeadLetterReason.BLANK_TEXT));
        assertThat(rejection.isPresent()).isEqualTo(InputValidation.hasNothingVisible(text));
    }

    /**
     * The operator hands the model its text with unpaired surrogates replaced ({@link UnpairedSurrogates}): without
     * that, the tokenizer's lossy JNI decoding put offsets past the end of a two-char text such as "\ud800!".
     */
    @Property(tries = 50)
    void tokenizerAcceptsAnyTextTheOperatorHandsItAndGivesCharOffsetsInsideIt(@ForAll("hostileText") String anyText) {
        String text = UnpairedSurrogates.replace(anyText);
        assertThat(text).hasSameSizeAs(anyText);
        TransformerEncoder tokenizing = encoder();
        int tokens = tokenizing.tokenCount(text);
        TokenStates states = tokenizing.encode(List.of(text)).get(0);

        assertThat(tokens).as("[CLS] and [SEP] at least").isGreaterThanOrEqualTo(2);
        assertThat(states.length()).isEqualTo(tokens);
        for (int t = 0; t < states.length(); t++) {
            int start = states.charStarts()[t];
            int end = states.charEnds()[t];
            assertThat(start).as("start of token %d '%s'", t, states.tokens()[t]).isBetween(0, end);
            assertThat(end).as("end of token %d '%s'", t, states.tokens()[t]).isLessThanOrEqualTo(text.length());
        }
    }

    private static void assertDecodesOrRejects(TextEventDecoder decoder, byte[] payload) {
        try {
            TextEvent event = decoder.decode(payload);
            assertThat(event).isNotNull();
            assertThat(event.getId()).isNotNull();
        } catch (TextEventDecoder.DecodeException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    /** Random bytes, and valid Avro events with bytes flipped, cut off or appended (closer to what slips through). */
    @Provide
    Arbitrary<byte[]> avroLikeBytes() {
        Arbitrary<byte[]> valid = hostileText().map(text -> TestEvents.avro(TestEvents.event("id", text)));
        return Arbitraries.oneOf(randomBytes(), mutated(valid));
    }

    /** Random bytes, and valid JSON events with bytes flipped, cut off or appended. */
    @Provide
    Arbitrary<byte[]> jsonLikeBytes() {
        Arbitrary<byte[]> valid = hostileText().map(text -> jsonEvent("id", text));
        Arbitrary<byte[]> jsonish = Arbitraries.strings().withChars("{}[]\":,.-0123456789eE \\tnrufalsid")
                .ofMaxLength(60).map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(randomBytes(), jsonish, mutated(valid));
    }

    /**
     * Texts of any UTF-16 units, lone surrogates included, and of the characters tokenizers and validators trip on:
     * controls, zero-width and bidi format characters, combining marks, no-break spaces, emoji, right-to-left letters.
     */
    @Provide
    Arbitrary<String> hostileText() {
        Arbitrary<String> anyUnits = Arbitraries.strings().all().ofMaxLength(80);
        Arbitrary<String> tricky = Arbitraries.strings()
                .withCharRange('\u0000', '\u001f').withCharRange('\u0300', '\u036f').withCharRange('\u0590', '\u06ff')
                .withCharRange('\u200b', '\u200f').withCharRange('\u202a', '\u202e').withCharRange('\u2066', '\u2069')
                .withCharRange('\ud800', '\udfff').withChars('\u00a0', '\u3000', '\ufeff', '\ufffd', '\u007f')
                .withChars("aZ .!?\n\t7\u4e2d\u6587")
                .ofMaxLength(80);
        Arbitrary<String> emoji = Arbitraries
                .of("\ud83d\ude00", "\ud83d\udc4d\ud83c\udffd", "\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67", "x")
                .list().ofMaxSize(30).map(parts -> String.join("", parts));
        return Arbitraries.oneOf(anyUnits, tricky, emoji);
    }

    private static Arbitrary<byte[]> randomBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
    }

    private static Arbitrary<byte[]> mutated(Arbitrary<byte[]> valid) {
        Arbitrary<Integer> position = Arbitraries.integers().between(0, 10_000);
        Arbitrary<Byte> value = Arbitraries.bytes();
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, 2);
        return Combinators.combine(valid, kind, position, value).as((bytes, how, at, b) -> {
            if (bytes.length == 0) {
                return bytes;
            }
            int index = at % bytes.length;
            return switch (how) {
                case 0 -> {
                    byte[] flipped = bytes.clone();
                    flipped[index] = b;
                    yield flipped;
                }
                case 1 -> Arrays.copyOf(bytes, index);
                default -> {
                    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1 + index % 8);
                    longer[bytes.length] = b;
                    yield longer;
                }
            };
        });
    }

    /** A JSON event whose text is written with a \\u escape per UTF-16 unit, so lone surrogates survive encoding. */
    private static byte[] jsonEvent(String id, String text) {
        StringBuilder json = new StringBuilder("{\"id\":\"").append(id).append("\",\"text\":\"");
        for (int i = 0; i < text.length(); i++) {
            json.append(String.format("\\u%04x", (int) text.charAt(i)));
        }
        return json.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static synchronized TransformerEncoder encoder() {
        if (encoder == null) {
            encoder = TransformerEncoder.load(EncoderVariant.INT8, 128, 1);
        }
        return encoder;
    }
}
