/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.encoder;

import ai.djl.MalformedModelException;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.ZooModel;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.heed.models.InferenceDevice;
import io.heed.models.Sha256;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A user's Hugging Face classifier export, run as is: a directory with {@code config.json} ({@code id2label}),
 * {@code tokenizer.json} and {@code model.onnx} (what {@code optimum-cli export onnx} writes). Texts in, raw logits
 * out, with each token's char span in the original text; the task packages turn logits into their result types.
 *
 * <p>Why not DJL's {@code TextClassificationTranslator} / {@code TokenClassificationTranslator} (0.36): they read
 * the same files (config.json's {@code id2label} and {@code problem_type}, tokenizer.json), but their
 * post-processing (softmax, argMax, the token translator's word-piece aggregation) is NDArray maths that the ONNX
 * Runtime engine leaves to an alternative engine, which Heed disables (it would unpack hundreds of MB of natives).
 * They also feed a fixed set of inputs whatever the graph declares, and their default {@code Batchifier.STACK}
 * needs the tokenizer to pad every text of a batch to one length. So this class reads those files itself, feeds
 * exactly the inputs the graph declares, pads per batch, and leaves the maths to plain Java in the task packages.
 *
 * <p>Texts longer than the model's maximum length ({@link #maxLength()}) are cut to it (leading and trailing special
 * tokens kept) and marked {@link Logits#truncated()}; they never fail. Batches run through {@link PaddedBatches}, as
 * the bundled encoder's do. Thread-safe: concurrent calls run concurrently in its one ONNX Runtime session.
 */
public final class HfOnnxModel implements AutoCloseable {
    public static final String CONFIG = "config.json";
    public static final String TOKENIZER = "tokenizer.json";
    public static final String MODEL = "model.onnx";
    /** Used when neither config.json nor tokenizer.json states a maximum length: BERT's. */
    static final int DEFAULT_MAX_LENGTH = 512;

    private final Path directory;
    private final List<String> labels;
    private final int maxLength;
    private final long padId;
    private final String sha256;
    private final HuggingFaceTokenizer tokenizer;
    private final GraphSession session;

    private HfOnnxModel(
            Path directory,
            List<String> labels,
            int maxLength,
            long padId,
            String sha256,
            HuggingFaceTokenizer tokenizer,
            ZooModel<NDList, NDList> model) {
        this.directory = directory;
        this.labels = labels;
        this.maxLength = maxLength;
        this.padId = padId;
        this.sha256 = sha256;
        this.tokenizer = tokenizer;
        this.session = new GraphSession(model);
    }

    /**
     * The logits of one text.
     *
     * @param values     row-major scores, {@code rows x labels}
     * @param rows       1 for a sequence classifier; one per token (special tokens included) for a token classifier
     * @param labels     scores per row: the size of {@code id2label}
     * @param tokens     the tokens the model saw, after truncation
     * @param charStarts UTF-16 start of each token in the original text (0 for special tokens)
     * @param charEnds   UTF-16 end of each token, exclusive (0 for special tokens)
     * @param special    whether each token is a special token ([CLS], [SEP], ...)
     * @param truncated  whether the text had more tokens than {@link #maxLength()} and was cut
     */
    public record Logits(
            float[] values,
            int rows,
            int labels,
            String[] tokens,
            int[] charStarts,
            int[] charEnds,
            boolean[] special,
            boolean truncated) {
        public float value(int row, int label) {
            return values[row * labels + label];
        }
    }

    /**
     * Loads an export directory. Every problem is reported here, naming the file: a missing directory or file, a
     * config.json without a usable {@code id2label}, a graph that wants inputs Heed cannot give or whose output
     * does not have one score per label.
     *
     * @param task           what the model is for, for messages ("sentiment", "entities")
     * @param intraOpThreads ONNX Runtime intra-op threads; 0 means the JVM's available processors
     */
    public static HfOnnxModel load(Path directory, String task, int intraOpThreads) {
        return load(directory, task, intraOpThreads, InferenceDevice.cpu());
    }

    /** As {@link #load(Path, String, int)}, on {@code device} (with the same CPU fallback as the encoder). */
    public static HfOnnxModel load(Path directory, String task, int intraOpThreads, InferenceDevice device) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException(
                    "The " + task + " model directory " + directory + " does not exist or is not a directory");
        }
        Path configFile = required(directory, CONFIG, task);
        Path tokenizerFile = required(directory, TOKENIZER, task);
        Path onnxFile = required(directory, MODEL, task);
        JsonObject config = readJson(configFile);
        List<String> labels = id2label(config, configFile);
        int maxLength = maxLength(config, readJson(tokenizerFile));
        long padId = config.has("pad_token_id") && config.get("pad_token_id").isJsonPrimitive()
                ? config.get("pad_token_id").getAsLong()
                : 0L;
        HuggingFaceTokenizer tokenizer = TransformerEncoder.loadTokenizer(tokenizerFile);
        ZooModel<NDList, NDList> model;
        try {
            model = TransformerEncoder.loadOnDevice(onnxFile, intraOpThreads, device);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            tokenizer.close();
            throw new IllegalArgumentException(
                    "Cannot load " + onnxFile + " as an ONNX model for " + task + ": " + e.getMessage(), e);
        }
        HfOnnxModel loaded =
                new HfOnnxModel(directory, labels, maxLength, padId, Sha256.hex(onnxFile), tokenizer, model);
        try {
            loaded.checkGraph(onnxFile);
            return loaded;
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    private static Path required(Path directory, String name, String task) {
        Path file = directory.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("The " + task + " model directory " + directory + " lacks " + name + " ("
                    + file + "): a Hugging Face export needs " + CONFIG + ", " + TOKENIZER + " and " + MODEL);
        }
        return file;
    }

    private static JsonObject readJson(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            JsonElement json = JsonParser.parseReader(reader);
            if (!json.isJsonObject()) {
                throw new IllegalArgumentException(file + " is not a JSON object");
            }
            return json.getAsJsonObject();
        } catch (IOException | JsonParseException e) {
            throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** id2label as a list indexed by id; ids must be exactly 0..n-1, as transformers writes them. */
    private static List<String> id2label(JsonObject config, Path configFile) {
        JsonElement element = config.get("id2label");
        if (element == null
                || !element.isJsonObject()
                || element.getAsJsonObject().size() == 0) {
            throw new IllegalArgumentException(configFile + " has no id2label: export a model fine-tuned for "
                    + "classification, whose config.json names its labels");
        }
        Map<String, JsonElement> entries = element.getAsJsonObject().asMap();
        String[] labels = new String[entries.size()];
        for (Map.Entry<String, JsonElement> entry : entries.entrySet()) {
            int id;
            try {
                id = Integer.parseInt(entry.getKey().trim());
            } catch (NumberFormatException e) {
                id = -1;
            }
            if (id < 0
                    || id >= labels.length
                    || labels[id] != null
                    || !entry.getValue().isJsonPrimitive()) {
                throw new IllegalArgumentException(configFile + ": id2label must map the ids 0.." + (labels.length - 1)
                        + " to label names once each, found \"" + entry.getKey() + "\": " + entry.getValue());
            }
            labels[id] = entry.getValue().getAsString();
        }
        return List.of(labels);
    }

    /**
     * The longest input the model takes: the smaller of config.json's {@code max_position_embeddings} (less the
     * padding offset RoBERTa-style models reserve) and a truncation length in tokenizer.json, else 512.
     */
    static int maxLength(JsonObject config, JsonObject tokenizer) {
        int max = Integer.MAX_VALUE;
        if (config.has("max_position_embeddings")
                && config.get("max_position_embeddings").isJsonPrimitive()) {
            max = config.get("max_position_embeddings").getAsInt();
            String type = config.has("model_type") ? config.get("model_type").getAsString() : "";
            if (type.contains("roberta") && config.has("pad_token_id")) {
                // Position ids start after padding_idx: 514 embeddings hold 512 tokens.
                max -= config.get("pad_token_id").getAsInt() + 1;
            }
        }
        JsonElement truncation = tokenizer.get("truncation");
        if (truncation != null
                && truncation.isJsonObject()
                && truncation.getAsJsonObject().has("max_length")) {
            max = Math.min(max, truncation.getAsJsonObject().get("max_length").getAsInt());
        }
        return max == Integer.MAX_VALUE ? DEFAULT_MAX_LENGTH : Math.max(2, max);
    }

    /** Fails at load if the graph wants an input Heed cannot feed or its output does not match id2label. */
    private void checkGraph(Path onnxFile) {
        List<String> inputNames = session.inputNames();
        for (String input : inputNames) {
            if (!PaddedBatches.SUPPORTED_INPUTS.contains(input)) {
                throw new IllegalArgumentException(onnxFile + " takes the input '" + input + "', which Heed does not "
                        + "supply (it feeds " + PaddedBatches.SUPPORTED_INPUTS + ")");
            }
        }
        if (!inputNames.contains("input_ids")) {
            throw new IllegalArgumentException(onnxFile + " has no input 'input_ids' (inputs: " + inputNames + ")");
        }
        Logits probe = run(List.of("probe")).get(0);
        if (probe.values().length != probe.rows() * labels.size()) {
            int scores = probe.values().length / Math.max(1, probe.rows());
            throw new IllegalArgumentException(onnxFile + " outputs " + scores + " scores per row but "
                    + directory.resolve(CONFIG) + " has " + labels.size() + " labels in id2label");
        }
    }

    /** Labels by id, from config.json's id2label. */
    public List<String> labels() {
        return labels;
    }

    /** Most tokens per text, special tokens included; longer texts are truncated. */
    public int maxLength() {
        return maxLength;
    }

    /** The directory's name, for model ids. */
    public String name() {
        Path fileName = directory.toAbsolutePath().normalize().getFileName();
        return fileName == null ? directory.toString() : fileName.toString();
    }

    /** SHA-256 of model.onnx, hex. */
    public String sha256() {
        return sha256;
    }

    /**
     * Runs texts through the model, padded per batch to the longest (truncated) text; one {@link Logits} per text
     * in input order. A sequence classifier gives one row per text, a token classifier one row per token.
     */
    public List<Logits> run(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        Encoding[] encodings = tokenizer.batchEncode(texts);
        List<Row> rows = new ArrayList<>(encodings.length);
        for (int i = 0; i < encodings.length; i++) {
            rows.add(Row.of(texts.get(i), encodings[i], maxLength));
        }
        Logits[] result = new Logits[rows.size()];
        PaddedBatches.run(
                session,
                rows.stream().map(Row::ids).toList(),
                rows.stream().map(Row::typeIds).toList(),
                padId,
                (call, output, manager) -> {
                    float[] out = output.get(0).toFloatArray();
                    long[] outShape = output.get(0).getShape().getShape();
                    boolean perToken = outShape.length == 3;
                    int labelCount = (int) outShape[outShape.length - 1];
                    for (int b = 0; b < call.rows(); b++) {
                        Row row = rows.get(call.firstRow() + b);
                        int rowCount = perToken ? row.ids.length : 1;
                        int offset = perToken ? b * call.width() * labelCount : b * labelCount;
                        float[] values = Arrays.copyOfRange(out, offset, offset + rowCount * labelCount);
                        result[call.firstRow() + b] = new Logits(
                                values,
                                rowCount,
                                labelCount,
                                row.tokens,
                                row.starts,
                                row.ends,
                                row.special,
                                row.truncated);
                    }
                },
                directory.resolve(MODEL).toString());
        return List.of(result);
    }

    /** One text's model input after truncation to the model's maximum length. */
    private record Row(
            long[] ids,
            long[] typeIds,
            String[] tokens,
            int[] starts,
            int[] ends,
            boolean[] special,
            boolean truncated) {

        /** Keeps the leading special tokens, as much of the body as fits, and the trailing special tokens. */
        static Row of(String text, Encoding encoding, int maxLength) {
            long[] ids = encoding.getIds();
            long[] specialMask = encoding.getSpecialTokenMask();
            int length = ids.length;
            int[] keep;
            if (length <= maxLength) {
                keep = range(0, length);
            } else {
                int trailing = 0;
                while (trailing < length && specialMask[length - 1 - trailing] != 0) {
                    trailing++;
                }
                trailing = Math.min(trailing, maxLength - 1);
                int head = maxLength - trailing;
                keep = new int[maxLength];
                System.arraycopy(range(0, head), 0, keep, 0, head);
                System.arraycopy(range(length - trailing, length), 0, keep, head, trailing);
            }
            long[] typeIdsAll = encoding.getTypeIds();
            String[] tokensAll = encoding.getTokens();
            int[][] spans = CharOffsets.tokenSpans(encoding, text);
            long[] keptIds = new long[keep.length];
            long[] keptTypes = new long[keep.length];
            String[] tokens = new String[keep.length];
            int[] starts = new int[keep.length];
            int[] ends = new int[keep.length];
            boolean[] special = new boolean[keep.length];
            for (int i = 0; i < keep.length; i++) {
                int t = keep[i];
                keptIds[i] = ids[t];
                keptTypes[i] = typeIdsAll[t];
                tokens[i] = tokensAll[t];
                special[i] = specialMask[t] != 0;
                if (!special[i]) {
                    starts[i] = spans[0][t];
                    ends[i] = spans[1][t];
                }
            }
            return new Row(keptIds, keptTypes, tokens, starts, ends, special, length > maxLength);
        }

        private static int[] range(int from, int to) {
            int[] values = new int[to - from];
            for (int i = 0; i < values.length; i++) {
                values[i] = from + i;
            }
            return values;
        }
    }

    @Override
    public void close() {
        session.close();
        tokenizer.close();
    }
}
