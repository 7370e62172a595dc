/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guards schema evolution: the current schemas (from the generated classes) must stay backward and
 * forward compatible with every released version kept under {@code history/<RecordName>/vN.avsc}.
 */
class SchemaCompatibilityTest {

    /** Top-level records with a release history, in the order they are reported. */
    private static final Map<String, Schema> CURRENT = new LinkedHashMap<>();

    static {
        CURRENT.put("TextEvent", TextEvent.getClassSchema());
        CURRENT.put("EnrichedText", EnrichedText.getClassSchema());
        CURRENT.put("DeadLetter", DeadLetter.getClassSchema());
    }

    /** Named types imported by the top-level schemas, in the order they must be parsed. */
    private static final List<String> IMPORTS =
            List.of("Provenance", "SentimentResult", "EntitySpan", "SummaryResult", "DeadLetterReason");

    /** How far past the last version we look for a stray file (a gap in the numbering). */
    private static final int GAP_LOOKAHEAD = 5;

    // ---------------------------------------------------------------------------------------------
    // History

    private static String resource(String path) {
        try (InputStream in = SchemaCompatibilityTest.class.getClassLoader().getResourceAsStream(path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(path, e);
        }
    }

    private static String historyPath(String record, int version) {
        return ReleasedSchemas.resourcePath(record, version);
    }

    /** Every released version of {@code record}, v1 first, each parsed on its own (self-contained). */
    static List<Schema> history(String record) {
        return ReleasedSchemas.of(record);
    }

    static Stream<Arguments> historyVersions() {
        return CURRENT.entrySet().stream().flatMap(e -> {
            List<Schema> history = history(e.getKey());
            return IntStream.range(0, history.size())
                    .mapToObj(i -> Arguments.of(e.getKey(), i + 1, e.getValue(), history.get(i)));
        });
    }

    @Test
    void everyRecordHasAContiguousHistoryStartingAtV1() {
        for (String record : CURRENT.keySet()) {
            List<Schema> history = history(record);
            assertThat(history).as("history/%s/v1.avsc must exist", record).isNotEmpty();
            for (int v = history.size() + 1; v <= history.size() + GAP_LOOKAHEAD; v++) {
                assertThat(resource(historyPath(record, v)))
                        .as("%s: found %s but v%d is missing", record, historyPath(record, v), history.size() + 1)
                        .isNull();
            }
            for (Schema old : history) {
                assertThat(old.getFullName()).isEqualTo(CURRENT.get(record).getFullName());
            }
        }
    }

    /**
     * A change to a schema is a release of a new version: the newest history file must be the current schema (in
     * Avro's parsing canonical form, so documentation edits do not count), or the compatibility checks below would
     * compare the current schema with an outdated picture of what was released.
     */
    @Test
    void newestReleasedVersionIsTheCurrentSchema() {
        for (Map.Entry<String, Schema> e : CURRENT.entrySet()) {
            List<Schema> history = history(e.getKey());
            Schema newest = history.get(history.size() - 1);
            assertThat(SchemaNormalization.toParsingForm(newest))
                    .as(
                            "%s: the schema changed since v%d; add v%d.avsc to src/main/history/%s",
                            e.getKey(), history.size(), history.size() + 1, e.getKey())
                    .isEqualTo(SchemaNormalization.toParsingForm(e.getValue()));
        }
    }

    /** DeadLetter v2 added the RECORD_TOO_LARGE reason: v1 readers see it as the enum's default, UNKNOWN. */
    @Test
    void aV1ReaderReadsANewerReasonAsUnknown() throws Exception {
        Schema v1 = history("DeadLetter").get(0);
        DeadLetter tooLarge = DeadLetter.newBuilder()
                .setId("big-1")
                .setReason(DeadLetterReason.RECORD_TOO_LARGE)
                .setMessage("enriched record would be 2,000,000 bytes")
                .setStage("emit")
                .setTime(T0)
                .build();
        GenericRecord old = new org.apache.avro.generic.GenericDatumReader<GenericRecord>(
                        DeadLetter.getClassSchema(), v1)
                .read(null, DecoderFactory.get().binaryDecoder(write(tooLarge), null));
        assertThat(old.get("reason")).hasToString("UNKNOWN");
        assertThat(old.get("id")).hasToString("big-1");
    }

    // ---------------------------------------------------------------------------------------------
    // Compatibility

    private static String describe(SchemaPairCompatibility pair) {
        if (pair.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return "compatible";
        }
        return pair.getResult().getIncompatibilities().stream()
                .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
                .collect(Collectors.joining("\n  "));
    }

    @ParameterizedTest(name = "{0} v{1}: current reader reads old data")
    @MethodSource("historyVersions")
    void backwardCompatible(String record, int version, Schema current, Schema old) {
        SchemaPairCompatibility pair = SchemaCompatibility.checkReaderWriterCompatibility(current, old);
        assertThat(pair.getType())
                .as("%s: current reader vs v%d writer (backward):%n  %s", record, version, describe(pair))
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @ParameterizedTest(name = "{0} v{1}: old reader reads current data")
    @MethodSource("historyVersions")
    void forwardCompatible(String record, int version, Schema current, Schema old) {
        SchemaPairCompatibility pair = SchemaCompatibility.checkReaderWriterCompatibility(old, current);
        assertThat(pair.getType())
                .as("%s: v%d reader vs current writer (forward):%n  %s", record, version, describe(pair))
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    // ---------------------------------------------------------------------------------------------
    // Fields added since v1 have defaults

    /** All record schemas reachable from {@code schema}, by full name. */
    private static Map<String, Schema> records(Schema schema) {
        Map<String, Schema> out = new LinkedHashMap<>();
        collectRecords(schema, out);
        return out;
    }

    private static void collectRecords(Schema schema, Map<String, Schema> out) {
        switch (schema.getType()) {
            case RECORD -> {
                if (out.putIfAbsent(schema.getFullName(), schema) == null) {
                    schema.getFields().forEach(f -> collectRecords(f.schema(), out));
                }
            }
            case UNION -> schema.getTypes().forEach(t -> collectRecords(t, out));
            case ARRAY -> collectRecords(schema.getElementType(), out);
            case MAP -> collectRecords(schema.getValueType(), out);
            default -> {}
        }
    }

    /**
     * Fields of {@code current}'s records (top-level and nested) that {@code old}'s record of the
     * same name lacks and that have no default, as {@code Record.field}.
     */
    static List<String> fieldsAddedWithoutDefault(Schema current, Schema old) {
        Map<String, Schema> oldRecords = records(old);
        List<String> offenders = new ArrayList<>();
        for (Schema record : records(current).values()) {
            Schema before = oldRecords.get(record.getFullName());
            if (before == null) {
                continue; // a new record type: reachable only through a new (defaulted) or changed field
            }
            for (Schema.Field field : record.getFields()) {
                boolean existed = before.getField(field.name()) != null
                        || field.aliases().stream().anyMatch(a -> before.getField(a) != null);
                if (!existed && !field.hasDefaultValue()) {
                    offenders.add(record.getFullName() + "." + field.name());
                }
            }
        }
        return offenders;
    }

    @Test
    void everyFieldAddedAfterV1HasADefault() {
        for (Map.Entry<String, Schema> e : CURRENT.entrySet()) {
            Schema v1 = history(e.getKey()).get(0);
            assertThat(fieldsAddedWithoutDefault(e.getValue(), v1))
                    .as("%s: fields added after v1 must have a default", e.getKey())
                    .isEmpty();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The shipped .avsc files describe the generated classes

    @Test
    void avscShippedInTheJarMatchesTheGeneratedClasses() {
        Schema.Parser parser = new Schema.Parser();
        for (String name : IMPORTS) {
            String json = resource("io/heed/schemas/avro/" + name + ".avsc");
            assertThat(json)
                    .as("io/heed/schemas/avro/%s.avsc on the classpath", name)
                    .isNotNull();
            parser.parse(json);
        }
        for (Map.Entry<String, Schema> e : CURRENT.entrySet()) {
            String json = resource("io/heed/schemas/avro/" + e.getKey() + ".avsc");
            assertThat(json)
                    .as("io/heed/schemas/avro/%s.avsc on the classpath", e.getKey())
                    .isNotNull();
            Schema shipped = parser.parse(json);
            assertThat(SchemaNormalization.parsingFingerprint64(shipped))
                    .as("%s: shipped .avsc vs generated class", e.getKey())
                    .isEqualTo(SchemaNormalization.parsingFingerprint64(e.getValue()));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Round trips

    private static <T extends SpecificRecord> byte[] write(T record) throws IOException {
        @SuppressWarnings("unchecked")
        DatumWriter<T> writer = new SpecificDatumWriter<>((Class<T>) record.getClass());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        writer.write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static <T extends SpecificRecord> T read(byte[] bytes, Schema writerSchema, Schema readerSchema)
            throws IOException {
        SpecificDatumReader<T> reader = new SpecificDatumReader<>(writerSchema, readerSchema);
        return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
    }

    private static <T extends SpecificRecord> T roundTrip(T record) throws IOException {
        return read(write(record), record.getSchema(), record.getSchema());
    }

    private static final Instant T0 = Instant.ofEpochMilli(1_767_225_600_123L);

    static TextEvent textEvent() {
        return TextEvent.newBuilder()
                .setId("rev-0001")
                .setText("The room in Zürich was spotless and José at the front desk was lovely.")
                .setSource("reviews")
                .setLanguage("en")
                .setEventTime(T0)
                .setAttributes(Map.of("stars", "5", "channel", "web"))
                .build();
    }

    @Test
    void textEventRoundTrips() throws Exception {
        TextEvent event = textEvent();
        assertThat(roundTrip(event)).isEqualTo(event);

        TextEvent minimal = TextEvent.newBuilder().setId("tkt-0042").build(); // defaults everywhere else
        assertThat(minimal.getText()).isNull();
        assertThat(roundTrip(minimal)).isEqualTo(minimal);
    }

    @Test
    void enrichedTextRoundTrips() throws Exception {
        String text = "Acme Corp opened an office in Łódź. Maria Nowak will lead it.";
        EnrichedText enriched = EnrichedText.newBuilder()
                .setId("news-0007")
                .setText(text)
                .setSource("news")
                .setLanguage(null)
                .setEventTime(T0)
                .setAttributes(Map.of("feed", "wire"))
                .setSentiment(SentimentResult.newBuilder()
                        .setLabel("positive")
                        .setScore(0.91f)
                        .setProbabilities(Map.of("positive", 0.91f, "negative", 0.09f))
                        .build())
                .setEntities(List.of(
                        EntitySpan.newBuilder()
                                .setText("Acme Corp")
                                .setType("ORG")
                                .setStart(0)
                                .setEnd(9)
                                .setScore(0.98f)
                                .build(),
                        EntitySpan.newBuilder()
                                .setText("Łódź")
                                .setType("LOC")
                                .setStart(30)
                                .setEnd(34)
                                .setScore(0.95f)
                                .build(),
                        EntitySpan.newBuilder()
                                .setText("Maria Nowak")
                                .setType("PER")
                                .setStart(36)
                                .setEnd(47)
                                .setScore(0.97f)
                                .build()))
                .setSummary(SummaryResult.newBuilder()
                        .setText("Acme Corp opened an office in Łódź.")
                        .setSentenceIndices(List.of(0))
                        .build())
                .setProvenance(Provenance.newBuilder()
                        .setModelId("heed/minilm-l6-int8+sentiment-attn-v1")
                        .setWeightsSha256("0".repeat(64))
                        .setEngine("OnnxRuntime 1.21.1")
                        .setDevice("cpu")
                        .build())
                .setInferenceMs(3.25f)
                .setEnrichedAt(T0.plusMillis(42))
                .build();
        assertThat(text.substring(30, 34)).isEqualTo("Łódź"); // offsets above are real
        assertThat(roundTrip(enriched)).isEqualTo(enriched);

        EnrichedText bare = EnrichedText.newBuilder()
                .setId("chat-0001")
                .setText("hi")
                .setProvenance(enriched.getProvenance())
                .setInferenceMs(0f)
                .build(); // sentiment/summary null, entities empty
        assertThat(bare.getEntities()).isEmpty();
        assertThat(roundTrip(bare)).isEqualTo(bare);
    }

    @Test
    void deadLetterRoundTrips() throws Exception {
        DeadLetter dead = DeadLetter.newBuilder()
                .setId("tkt-0099")
                .setPayload(ByteBuffer.wrap(new byte[] {0x00, 0x7f, (byte) 0xff, 0x10}))
                .setTopic("heed.text")
                .setPartition(3)
                .setOffset(123_456_789_012L)
                .setReason(DeadLetterReason.BLANK_TEXT)
                .setMessage("text is blank")
                .setStage("validate")
                .setTime(T0)
                .build();
        assertThat(roundTrip(dead)).isEqualTo(dead);

        DeadLetter undecodable = DeadLetter.newBuilder()
                .setReason(DeadLetterReason.UNDECODABLE)
                .setMessage("not Avro")
                .setStage("decode")
                .setTime(T0)
                .build(); // id/payload/topic null, partition/offset -1
        assertThat(undecodable.getPartition()).isEqualTo(-1);
        assertThat(roundTrip(undecodable)).isEqualTo(undecodable);
    }

    @Test
    void textEventWrittenWithV1IsReadableAsCurrentClass() throws Exception {
        Schema v1 = history("TextEvent").get(0);
        GenericRecord old = new GenericData.Record(v1);
        old.put("id", "post-0003");
        old.put("text", "Sunny in Lisbon today ☀️");
        old.put("source", "posts");
        old.put("language", "en");
        old.put("event_time", T0.toEpochMilli()); // plain long: GenericData has no logical-type conversions
        old.put("attributes", Map.of("likes", "12"));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(v1).write(old, encoder);
        encoder.flush();

        TextEvent current = read(out.toByteArray(), v1, TextEvent.getClassSchema());
        assertThat(current.getId()).isEqualTo("post-0003");
        assertThat(current.getText()).isEqualTo("Sunny in Lisbon today ☀️");
        assertThat(current.getSource()).isEqualTo("posts");
        assertThat(current.getLanguage()).isEqualTo("en");
        assertThat(current.getEventTime()).isEqualTo(T0);
        assertThat(current.getAttributes()).containsExactlyEntriesOf(Map.of("likes", "12"));
    }

    // ---------------------------------------------------------------------------------------------
    // The checks catch what they should (negative tests)

    /** {@code base} with {@code extra} appended to its fields. */
    private static Schema withField(Schema base, Schema.Field extra) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : base.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(extra);
        return Schema.createRecord(base.getName(), base.getDoc(), base.getNamespace(), false, fields);
    }

    /** {@code base} without the field {@code name}. */
    private static Schema withoutField(Schema base, String name) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : base.getFields()) {
            if (!f.name().equals(name)) {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        return Schema.createRecord(base.getName(), base.getDoc(), base.getNamespace(), false, fields);
    }

    @Test
    void addingARequiredFieldWithoutDefaultIsReportedIncompatibleForBackwardReads() {
        Schema v1 = history("TextEvent").get(0);
        // A Field built with no default value (not JsonProperties.NULL_VALUE) has none.
        Schema bad =
                withField(v1, new Schema.Field("tenant", Schema.create(Schema.Type.STRING), "Required, no default."));
        assertThat(bad.getField("tenant").hasDefaultValue()).isFalse();

        SchemaPairCompatibility backward = SchemaCompatibility.checkReaderWriterCompatibility(bad, v1);
        assertThat(backward.getType()).as(describe(backward)).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
        assertThat(backward.getResult().getIncompatibilities()).anySatisfy(i -> {
            assertThat(i.getType()).isEqualTo(SchemaIncompatibilityType.READER_FIELD_MISSING_DEFAULT_VALUE);
            assertThat(i.getMessage()).contains("tenant");
        });
        assertThat(describe(backward))
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
                .contains("tenant");

        // Old readers simply skip the unknown field, so forward reads stay fine.
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(v1, bad).getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);

        // And the "added fields have defaults" rule names it.
        assertThat(fieldsAddedWithoutDefault(bad, v1)).containsExactly("io.heed.schemas.TextEvent.tenant");

        // The same field with a default passes every check.
        Schema good = withField(v1, new Schema.Field("tenant", Schema.create(Schema.Type.STRING), "Defaulted.", ""));
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(good, v1).getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(fieldsAddedWithoutDefault(good, v1)).isEmpty();
    }

    @Test
    void droppingARequiredFieldIsReportedIncompatibleForForwardReads() {
        Schema v1 = history("EnrichedText").get(0);
        Schema dropped = withoutField(v1, "provenance");

        // New readers ignore the extra field in old data...
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(dropped, v1)
                        .getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        // ...but v1 readers need provenance, which new data no longer carries and v1 has no default for.
        SchemaPairCompatibility forward = SchemaCompatibility.checkReaderWriterCompatibility(v1, dropped);
        assertThat(forward.getType()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
        assertThat(describe(forward))
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
                .contains("provenance");
    }

    @Test
    void nestedFieldAddedWithoutDefaultIsFound() {
        Schema v1 = history("EnrichedText").get(0);
        Schema provenance = v1.getField("provenance").schema();
        Schema newProvenance =
                withField(provenance, new Schema.Field("region", Schema.create(Schema.Type.STRING), null));
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : v1.getFields()) {
            fields.add(new Schema.Field(f, f.name().equals("provenance") ? newProvenance : f.schema()));
        }
        Schema bad = Schema.createRecord(v1.getName(), v1.getDoc(), v1.getNamespace(), false, fields);

        assertThat(fieldsAddedWithoutDefault(bad, v1)).containsExactly("io.heed.schemas.Provenance.region");
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(bad, v1).getType())
                .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }
}
