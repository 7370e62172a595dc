/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.heed.jobs.embedded.AvroBytes;
import io.heed.operators.InputFormat;
import io.heed.schemas.TextEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * The hostile input corpus: the cases listed in {@code hostile/cases.tsv} (see its header for the syntax), with their
 * payload bytes made here. Big payloads (10 MB texts, floods) are generated from the manifest, never committed.
 */
final class HostileCorpus {
    static final String MANIFEST = "/hostile/cases.tsv";
    static final String ENRICHED = "enriched";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REPEAT = Pattern.compile("repeat:(\\d+):(\".*\")");
    private static final Pattern GENERATED = Pattern.compile("(sentences|words|prose-bytes|base64|zalgo):(\\d+)");

    private HostileCorpus() {}

    /**
     * One case.
     *
     * @param kind     what is hostile about it (a kind may be run in both formats)
     * @param format   the job's input format, and how event payloads are encoded
     * @param payload  the record value; null for a tombstone
     * @param expected {@link #ENRICHED} or the name of a DeadLetterReason
     * @param why      the manifest's note
     */
    record Case(String kind, InputFormat format, byte[] payload, String expected, String why) {
        String name() {
            return format.name().toLowerCase(java.util.Locale.ROOT) + "-" + kind;
        }

        boolean expectsEnriched() {
            return ENRICHED.equals(expected);
        }

        @Override
        public String toString() {
            return name() + " (" + (payload == null ? "null" : payload.length + " bytes") + " -> " + expected + ")";
        }
    }

    static List<Case> load() {
        List<Case> cases = new ArrayList<>();
        String manifest = new String(resource(MANIFEST), StandardCharsets.UTF_8);
        int lineNumber = 0;
        for (String line : manifest.split("\n")) {
            lineNumber++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] columns = line.split("\t", -1);
            if (columns.length != 5) {
                throw new IllegalArgumentException(MANIFEST + ":" + lineNumber + ": expected 5 tab-separated columns");
            }
            InputFormat format = InputFormat.parse(columns[1]);
            String name = format.name().toLowerCase(java.util.Locale.ROOT) + "-" + columns[0];
            try {
                cases.add(new Case(columns[0], format, payload(name, format, columns[2]), columns[3], columns[4]));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(MANIFEST + ":" + lineNumber + ": " + e.getMessage(), e);
            }
        }
        return cases;
    }

    private static byte[] payload(String name, InputFormat format, String spec) {
        String kind = spec.split(" ", 2)[0];
        String argument = spec.length() > kind.length() ? spec.substring(kind.length() + 1) : "";
        return switch (kind) {
            case "null" -> null;
            case "raw" -> rawBytes(argument);
            case "event" -> event(format, name, text(argument));
            case "event-id" -> {
                int idEnd = closingQuote(argument, 0);
                yield event(format, unescape(argument.substring(1, idEnd)), text(argument.substring(idEnd + 2)));
            }
            case "event-large" -> eventWithLargeField(format, name, argument);
            case "avro" -> avroMutation(name, argument);
            case "gen" -> {
                String[] parts = argument.split(" ");
                if (!parts[0].equals("nested-json")) {
                    throw new IllegalArgumentException("unknown generator " + parts[0]);
                }
                int depth = Integer.parseInt(parts[1]);
                yield ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.UTF_8);
            }
            default -> throw new IllegalArgumentException("unknown payload kind '" + kind + "'");
        };
    }

    private static byte[] event(InputFormat format, String id, String text) {
        return encode(
                format,
                TextEvent.newBuilder()
                        .setId(id)
                        .setText(text)
                        .setSource("hostile")
                        .setEventTime(Instant.ofEpochMilli(1_764_547_200_000L))
                        .setAttributes(Map.of("case", id))
                        .build());
    }

    /**
     * {@code event-large FIELD VALUE TEXT}: an event whose id, source or attributes are huge. VALUE is a text spec for
     * the field; for attributes it is {@code N:SPEC}, N attributes each with that value.
     */
    private static byte[] eventWithLargeField(InputFormat format, String name, String argument) {
        String field = argument.split(" ", 2)[0];
        String rest = argument.substring(field.length() + 1);
        int count = 1;
        if (field.equals("attributes")) {
            count = Integer.parseInt(rest.substring(0, rest.indexOf(':')));
            rest = rest.substring(rest.indexOf(':') + 1);
        }
        int valueEnd = closingQuote(rest, rest.indexOf('"')) + 1;
        String value = text(rest.substring(0, valueEnd));
        String text = text(rest.substring(valueEnd + 1));
        TextEvent.Builder event = TextEvent.newBuilder()
                .setId(name)
                .setText(text)
                .setSource("hostile")
                .setEventTime(Instant.ofEpochMilli(1_764_547_200_000L))
                .setAttributes(Map.of("case", name));
        switch (field) {
            case "id" -> event.setId(value);
            case "source" -> event.setSource(value);
            case "attributes" -> {
                Map<String, String> attributes = new LinkedHashMap<>();
                for (int i = 0; i < count; i++) {
                    attributes.put("attribute-" + i, value);
                }
                event.setAttributes(attributes);
            }
            default -> throw new IllegalArgumentException("event-large takes id, source or attributes, not " + field);
        }
        return encode(format, event.build());
    }

    private static byte[] encode(InputFormat format, TextEvent event) {
        if (format == InputFormat.AVRO) {
            return AvroBytes.write(event);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", event.getId());
        json.put("text", event.getText());
        json.put("source", event.getSource());
        json.put("event_time", event.getEventTime().toEpochMilli());
        json.put("attributes", event.getAttributes());
        try {
            return JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of an {@code event}: see the manifest's header. */
    static String text(String spec) {
        if (spec.equals("null")) {
            return null;
        }
        if (spec.startsWith("\"")) {
            return unescape(spec.substring(1, closingQuote(spec, 0)));
        }
        if (spec.startsWith("file:")) {
            return new String(resource("/hostile/" + spec.substring(5)), StandardCharsets.UTF_8);
        }
        Matcher repeat = REPEAT.matcher(spec);
        if (repeat.matches()) {
            return text(repeat.group(2)).repeat(Integer.parseInt(repeat.group(1)));
        }
        Matcher generated = GENERATED.matcher(spec);
        if (!generated.matches()) {
            throw new IllegalArgumentException("unknown text '" + spec + "'");
        }
        int n = Integer.parseInt(generated.group(2));
        return switch (generated.group(1)) {
            case "sentences" -> sentences(n);
            case "words" -> words(n);
            case "prose-bytes" -> proseOfBytes(n);
            case "base64" -> base64(n);
            default -> zalgo(n);
        };
    }

    private static final String[] NAMES = {
        "Anna Schmidt",
        "Microsoft",
        "Paris",
        "the Red Cross",
        "John Smith",
        "Toyota",
        "Lake Geneva",
        "Maria Garcia",
        "the United Nations",
        "Berlin",
        "Apple",
        "Tokyo"
    };
    private static final String[] VERDICTS = {
        "was wonderful",
        "was awful",
        "arrived late",
        "exceeded hopes",
        "needs work",
        "felt cheap",
        "was a delight",
        "broke at once",
        "kept its promise",
        "was overpriced"
    };

    /** Short, distinct sentences naming people, places and organisations. */
    private static String sentences(int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append("Item ")
                    .append(i + 1)
                    .append(" from ")
                    .append(NAMES[i % NAMES.length])
                    .append(' ')
                    .append(VERDICTS[(i / NAMES.length) % VERDICTS.length])
                    .append(". ");
        }
        return text.toString().trim();
    }

    private static final String[] COMMON_WORDS = ("the service at the hotel was good and the room was clean but the "
                    + "food in the restaurant was cold so we went out to eat in town every night of our stay")
            .split(" ");

    /** About {@code count} tokens: common words that are one wordpiece each, with a full stop every 12 words. */
    private static String words(int count) {
        StringBuilder text = new StringBuilder();
        int tokens = 0;
        for (int i = 0; tokens < count; i++) {
            text.append(COMMON_WORDS[i % COMMON_WORDS.length]);
            tokens++;
            if (i % 12 == 11) {
                text.append('.');
                tokens++;
            }
            text.append(' ');
        }
        return text.toString().trim();
    }

    /** Prose of exactly {@code bytes} UTF-8 bytes (ASCII sentences, padded with spaces). */
    private static String proseOfBytes(int bytes) {
        String prose = sentences(100) + " ";
        StringBuilder text = new StringBuilder(bytes);
        while (text.length() + prose.length() <= bytes) {
            text.append(prose);
        }
        while (text.length() < bytes) {
            text.append(' ');
        }
        return text.toString();
    }

    private static String base64(int bytes) {
        byte[] random = new byte[bytes];
        new Random(42).nextBytes(random);
        return Base64.getMimeEncoder().encodeToString(random);
    }

    /** Letters each under 6 to 20 combining marks (U+0300..U+036F), a space after every 5th. */
    private static String zalgo(int letters) {
        Random random = new Random(7);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < letters; i++) {
            text.append("zalgo".charAt(i % 5));
            int marks = 6 + random.nextInt(15);
            for (int m = 0; m < marks; m++) {
                text.append((char) (0x0300 + random.nextInt(0x70)));
            }
            if (i % 5 == 4) {
                text.append(' ');
            }
        }
        return text.toString();
    }

    private static byte[] avroMutation(String name, String mutation) {
        byte[] valid = AvroBytes.write(TextEvent.newBuilder()
                .setId(name)
                .setText("A valid event, then mutated.")
                .setSource("hostile")
                .build());
        return switch (mutation) {
            case "truncated" -> Arrays.copyOf(valid, valid.length - 3);
            case "trailing-bytes" -> Arrays.copyOf(valid, valid.length + 4);
            case "other-schema" -> otherSchema();
            case "invalid-utf8-text" ->
                eventWithRawTextBytes(name, new byte[] {
                    'B',
                    'a',
                    'd',
                    ' ',
                    (byte) 0xC3,
                    0x28,
                    ' ',
                    (byte) 0xFF,
                    ' ',
                    'U',
                    'T',
                    'F',
                    '-',
                    '8',
                    ' ',
                    'f',
                    'r',
                    'o',
                    'm',
                    ' ',
                    'L',
                    'o',
                    'n',
                    'd',
                    'o',
                    'n',
                    '.'
                });
            default -> throw new IllegalArgumentException("unknown Avro mutation " + mutation);
        };
    }

    private static byte[] otherSchema() {
        Schema review = SchemaBuilder.record("Review")
                .fields()
                .requiredInt("stars")
                .requiredString("body")
                .endRecord();
        GenericRecord record = new GenericData.Record(review);
        record.put("stars", 5);
        record.put("body", "Great hotel, lovely staff.");
        return write(encoder -> new GenericDatumWriter<GenericRecord>(review).write(record, encoder));
    }

    /** A TextEvent written field by field, so its text can hold bytes that are not UTF-8. */
    private static byte[] eventWithRawTextBytes(String id, byte[] text) {
        return write(encoder -> {
            encoder.writeString(id);
            encoder.writeIndex(1);
            encoder.writeBytes(text);
            encoder.writeString("hostile");
            encoder.writeIndex(0);
            encoder.writeLong(0);
            encoder.writeMapStart();
            encoder.setItemCount(0);
            encoder.writeMapEnd();
        });
    }

    private interface AvroWrite {
        void to(BinaryEncoder encoder) throws IOException;
    }

    private static byte[] write(AvroWrite write) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            write.to(encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** UTF-8 bytes of the text, where each {@code \xNN} is the raw byte NN (so payloads can hold invalid UTF-8). */
    private static byte[] rawBytes(String spec) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int from = 0;
        for (int at = spec.indexOf("\\x"); at >= 0; at = spec.indexOf("\\x", from)) {
            out.writeBytes(spec.substring(from, at).getBytes(StandardCharsets.UTF_8));
            out.write(Integer.parseInt(spec.substring(at + 2, at + 4), 16));
            from = at + 4;
        }
        out.writeBytes(spec.substring(from).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static int closingQuote(String spec, int openingQuote) {
        for (int i = openingQuote + 1; i < spec.length(); i++) {
            if (spec.charAt(i) == '\\') {
                i++;
            } else if (spec.charAt(i) == '"') {
                return i;
            }
        }
        throw new IllegalArgumentException("unterminated quote in " + spec);
    }

    /** Java-style escapes; {@code \\uXXXX} may make a lone surrogate on purpose. */
    private static String unescape(String quoted) {
        StringBuilder text = new StringBuilder(quoted.length());
        for (int i = 0; i < quoted.length(); i++) {
            char c = quoted.charAt(i);
            if (c != '\\') {
                text.append(c);
                continue;
            }
            char next = quoted.charAt(++i);
            switch (next) {
                case 'n' -> text.append('\n');
                case 't' -> text.append('\t');
                case 'r' -> text.append('\r');
                case 'u' -> {
                    text.append((char) Integer.parseInt(quoted.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> text.append(next);
            }
        }
        return text.toString();
    }

    static byte[] resource(String path) {
        try (InputStream in = HostileCorpus.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
