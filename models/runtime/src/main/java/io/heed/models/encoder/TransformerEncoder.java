/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.encoder;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.heed.models.InferenceDevice;
import io.heed.models.JvmWideThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A BERT-style transformer encoder run by DJL on ONNX Runtime: texts in, per-token hidden states out.
 *
 * <p>One call encodes a whole batch in a single forward pass, padded to the longest text of that batch (not to a
 * fixed length), so short texts do not pay for long ones when callers group texts by length. Texts longer than the
 * window are split into overlapping windows that run in the same pass ({@link Windowing}). Thread-safe: concurrent
 * calls run concurrently in the one ONNX Runtime session ({@link GraphSession}), each on its caller's thread.
 */
public final class TransformerEncoder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TransformerEncoder.class);
    private static final String ENGINE = "OnnxRuntime";

    static {
        // Run offline, and never let ONNX Runtime pull in another engine as a fallback: with PyTorch on the
        // classpath (training) it would otherwise unpack ~430 MB of natives.
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.setProperty(
                "ai.djl.onnx.disable_alternative", System.getProperty("ai.djl.onnx.disable_alternative", "true"));
    }

    private final HuggingFaceTokenizer tokenizer;
    private final GraphSession session;
    private final String modelId;
    private final String weightsSha256;
    private final Windowing windowing;
    private final AtomicLong forwardPasses = new AtomicLong();

    private TransformerEncoder(
            HuggingFaceTokenizer tokenizer,
            ZooModel<NDList, NDList> model,
            String modelId,
            String weightsSha256,
            Windowing windowing) {
        this.tokenizer = tokenizer;
        this.session = new GraphSession(model);
        this.modelId = modelId;
        this.weightsSha256 = weightsSha256;
        this.windowing = windowing;
    }

    /** Loads the bundled encoder with a window of {@code windowTokens} and default overlap. */
    public static TransformerEncoder load(EncoderVariant variant, int windowTokens, int intraOpThreads) {
        return load(variant, Windowing.of(windowTokens), intraOpThreads);
    }

    /** Loads the bundled encoder on the CPU. */
    public static TransformerEncoder load(EncoderVariant variant, Windowing windowing, int intraOpThreads) {
        return load(variant, windowing, intraOpThreads, InferenceDevice.cpu());
    }

    /**
     * Loads the bundled encoder.
     *
     * @param variant         int8 or fp32
     * @param windowing       encoder window and how longer texts are split into overlapping windows
     * @param intraOpThreads  ONNX Runtime intra-op threads; 0 means the JVM's available processors
     * @param device          CPU or GPU; a GPU that ONNX Runtime cannot use fails the load unless the device allows
     *                        falling back to the CPU, which is then logged once
     */
    public static TransformerEncoder load(
            EncoderVariant variant, Windowing windowing, int intraOpThreads, InferenceDevice device) {
        Objects.requireNonNull(variant, "variant");
        return load(variant, EncoderWeights.DEFAULT, windowing, intraOpThreads, device);
    }

    /**
     * Loads the bundled encoder with the given weights.
     *
     * @param weights the Maven artifact's weights, or Heed's fine-tuned ones (derived at build time)
     */
    public static TransformerEncoder load(
            EncoderVariant variant,
            EncoderWeights weights,
            Windowing windowing,
            int intraOpThreads,
            InferenceDevice device) {
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(weights, "weights");
        ModelFiles.LocalFile onnx = ModelFiles.unpack(weights.onnxResource(variant));
        ModelFiles.LocalFile tokenizerJson = ModelFiles.unpack(weights.tokenizerResource(variant));
        return load(onnx, tokenizerJson.path(), weights.modelId(variant), windowing, intraOpThreads, device);
    }

    /**
     * Loads an encoder from local files on the CPU, such as a fine-tuned copy of the bundled one derived at build
     * time.
     *
     * @param modelId what the model is called in outputs and metrics
     */
    public static TransformerEncoder load(
            Path onnxFile, Path tokenizerJson, String modelId, Windowing windowing, int intraOpThreads) {
        Objects.requireNonNull(onnxFile, "onnxFile");
        return load(
                new ModelFiles.LocalFile(onnxFile, io.heed.models.Sha256.hex(onnxFile)),
                tokenizerJson,
                modelId,
                windowing,
                intraOpThreads,
                InferenceDevice.cpu());
    }

    private static TransformerEncoder load(
            ModelFiles.LocalFile onnx,
            Path tokenizerJson,
            String modelId,
            Windowing windowing,
            int intraOpThreads,
            InferenceDevice device) {
        Objects.requireNonNull(windowing, "windowing");
        Objects.requireNonNull(device, "device");
        HuggingFaceTokenizer tokenizer = loadTokenizer(tokenizerJson);
        try {
            ZooModel<NDList, NDList> model = loadOnDevice(onnx.path(), intraOpThreads, device);
            return new TransformerEncoder(tokenizer, model, modelId, onnx.sha256(), windowing);
        } catch (IOException | MalformedModelException | RuntimeException | LinkageError e) {
            // RuntimeException: ONNX Runtime reports a corrupt graph as an unchecked engine exception. LinkageError:
            // its native library failed to load (ExceptionInInitializerError), e.g. an unwritable temp directory.
            tokenizer.close();
            throw new IllegalStateException(
                    "Cannot load encoder " + modelId + " from " + onnx.path() + " on " + device + ": "
                            + (e.getMessage() == null ? e.toString() : e.getMessage())
                            + RunTimeDirectories.onnxRuntimeHint(),
                    e);
        }
    }

    /** The tokenizer the encoder uses: whole texts, no padding or truncation (batches pad, windows split). */
    public static HuggingFaceTokenizer tokenizer(Path tokenizerJson) {
        return loadTokenizer(tokenizerJson);
    }

    /** Loads an ONNX graph on the device, falling back to the CPU (logged) where the device allows it. */
    static ZooModel<NDList, NDList> loadOnDevice(Path onnx, int intraOpThreads, InferenceDevice device)
            throws IOException, MalformedModelException {
        // Before DJL first touches ONNX Runtime and CUDA in this JVM: their JVM-wide hook and thread must not be
        // created under this caller's stack, which in a Flink job would pin the job's class loader for good.
        JvmWideThreads.startEngineThreads();
        if (device.gpuIndex().isEmpty()) {
            return loadGraph(onnx, intraOpThreads, Device.cpu());
        }
        int gpu = device.gpuIndex().getAsInt();
        try {
            return loadGraph(onnx, intraOpThreads, Device.gpu(gpu));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            String reason = rootMessage(e);
            if (!device.cpuFallback()) {
                throw new IllegalStateException(
                        "ONNX Runtime cannot run on GPU " + gpu + " (" + reason
                                + "). A GPU needs the onnxruntime_gpu build (Maven profile -Pgpu) and CUDA 12 + cuDNN 9 on the"
                                + " host",
                        e);
            }
            LOG.warn(
                    "GPU {} was assigned but ONNX Runtime cannot use it ({}); the encoder runs on the CPU. A GPU"
                            + " needs the onnxruntime_gpu build (Maven profile -Pgpu) and CUDA 12 + cuDNN 9 on the host",
                    gpu,
                    reason);
            return loadGraph(onnx, intraOpThreads, Device.cpu());
        }
    }

    /**
     * Loads an ONNX graph with ONNX Runtime, offline, raw tensors in and out, on {@code device}. Shared with
     * user-supplied Hugging Face exports ({@link HfOnnxModel}) so every model of a {@code TextModel} runs on the same
     * engine with the same thread settings. DJL's criteria take string options only; the session options are passed
     * as ONNX Runtime's own object, so that settings DJL has no string for (spinning) can be made.
     */
    static ZooModel<NDList, NDList> loadGraph(Path onnx, int intraOpThreads, Device device)
            throws IOException, MalformedModelException {
        Model model = Model.newInstance(onnx.getFileName().toString(), device, ENGINE);
        try {
            Map<String, Object> options = new HashMap<>();
            options.put("sessionOptions", sessionOptions());
            // DJL's ONNX Runtime engine applies the device (CUDA provider) only when some engine option is set;
            // sequential is ONNX Runtime's default anyway.
            options.put("executionMode", "SEQUENTIAL");
            // 0 means the JVM's processors, not ONNX Runtime's default (the host's physical cores): in a container
            // limited to 2 CPUs on a 64-core host, the default would start 64 threads fighting over 2.
            int threads =
                    intraOpThreads > 0 ? intraOpThreads : Runtime.getRuntime().availableProcessors();
            options.put("intraOpNumThreads", Integer.toString(threads));
            options.put("interOpNumThreads", "1");
            model.load(onnx, null, options);
            return new ZooModel<>(model, new NoopTranslator());
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * ONNX Runtime's session options beyond DJL's strings. Its intra-op workers spin-wait between operators and after
     * each run by default, which pays where the cores are the model's alone; in a TaskManager they are not: the task
     * threads (decoding, tokenising, the heads' Java, Avro, Kafka) and other sessions (the heads graph, users'
     * models) need the same cores between runs, and spinning workers take them. Medians of three benchmark runs each
     * on 2 cores, alternating with and without spinning (records/s): operator 242 -> 302, full job 225 -> 259, SQL 217
     * -> 287, naive map (three sessions) 30 -> 62; the encoder alone, with the cores to itself, 495 -> 460.
     */
    static OrtSession.SessionOptions sessionOptions() {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            return options;
        } catch (OrtException e) {
            options.close();
            throw new IllegalStateException("Cannot set ONNX Runtime session options: " + e.getMessage(), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    static HuggingFaceTokenizer loadTokenizer(Path tokenizerJson) {
        // The tokenizer's native library probes CUDA on first load (JNA's cleaner thread): see loadOnDevice.
        JvmWideThreads.startEngineThreads();
        try {
            // The shipped tokenizer.json pads and truncates to 128. We tokenise whole texts instead, pad per batch,
            // and cover long texts with overlapping windows.
            return HuggingFaceTokenizer.builder()
                    .optTokenizerPath(tokenizerJson)
                    .optPadding(false)
                    .optTruncation(false)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load tokenizer " + tokenizerJson, e);
        } catch (RuntimeException | LinkageError e) {
            // DJL reports a native library it could not unpack or load as an EngineException or a link error.
            throw RunTimeDirectories.tokenizerLoadFailure(tokenizerJson, e);
        }
    }

    /** Tokens of a text, special tokens included, without running the model; cheap, used for batching by length. */
    public int tokenCount(String text) {
        return tokenize(text).tokenCount();
    }

    /**
     * Tokenises a text for {@link #encodeTokenized}: batch by its token count, then hand it over, and the text is
     * tokenised once. Thread-safe (the tokenizer is).
     */
    public TokenizedText tokenize(String text) {
        return tokenized(text, tokenizer.encode(text));
    }

    /** Tokenises texts in one call of the tokenizer. */
    public List<TokenizedText> tokenize(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        Encoding[] encodings = tokenizer.batchEncode(texts);
        List<TokenizedText> tokenized = new ArrayList<>(encodings.length);
        for (int i = 0; i < encodings.length; i++) {
            tokenized.add(tokenized(texts.get(i), encodings[i]));
        }
        return tokenized;
    }

    private TokenizedText tokenized(String text, Encoding encoding) {
        return new TokenizedText(text, encoding, Math.min(encoding.getIds().length, windowing.maxDocumentTokens()));
    }

    /**
     * Encodes texts: every window of every text in one forward pass (split into several passes only when the batch
     * holds more than {@value PaddedBatches#MAX_TOKENS_PER_PASS} token positions). Texts longer than the window are covered by
     * overlapping windows and stitched back together.
     *
     * @return one {@link TokenStates} per text, in input order, covering the whole text (up to
     *     {@link Windowing#maxDocumentTokens()})
     */
    public List<TokenStates> encode(List<String> texts) {
        return encode(texts, null, null).stream().map(EncodedText::states).toList();
    }

    /**
     * Encodes texts as {@link #encode(List)} does and runs {@code heads} (if not null) on the states of each forward
     * pass, before they leave native memory. {@code planner} says which items (the entity head's words) the heads
     * gather from each text; null when no enabled head gathers any.
     */
    public List<EncodedText> encode(List<String> texts, HeadsGraph heads, GatherItems.Planner planner) {
        return encodeTokenized(tokenize(texts), heads, planner);
    }

    /** {@link #encode(List, HeadsGraph, GatherItems.Planner)} for texts this encoder has already tokenised. */
    public List<EncodedText> encodeTokenized(List<TokenizedText> texts, HeadsGraph heads, GatherItems.Planner planner) {
        if (texts.isEmpty()) {
            return List.of();
        }
        List<TextWindows> documents = new ArrayList<>(texts.size());
        List<long[]> rows = new ArrayList<>();
        for (TokenizedText text : texts) {
            TextWindows document = TextWindows.plan(text.text(), text.encoding(), windowing, rows.size());
            rows.addAll(document.rows());
            documents.add(document);
        }
        GatherItems[] items = new GatherItems[documents.size()];
        if (heads != null && planner != null) {
            for (int i = 0; i < items.length; i++) {
                int[][] spans = documents.get(i).tokenSpans();
                items[i] = planner.plan(texts.get(i).text(), spans[0], spans[1]);
            }
        }
        BatchPass pass = new BatchPass(rows.size(), documents, items);
        forwardInChunks(rows, pass, heads);
        List<EncodedText> result = new ArrayList<>(documents.size());
        for (int i = 0; i < documents.size(); i++) {
            TextWindows document = documents.get(i);
            TokenStates states = document.stitch(pass.rowStates, pass.hiddenSize);
            Map<String, float[]> tokenOutputs = new TreeMap<>();
            pass.rowTokenOutputs.forEach((name, rowValues) ->
                    tokenOutputs.put(name, document.stitchValues(rowValues, pass.tokenOutputWidths.get(name))));
            result.add(new EncodedText(states, tokenOutputs, pass.itemOutputs(i)));
        }
        return result;
    }

    /**
     * Encodes many texts in batches of similar length (little padding, so the encoder does little wasted work) and
     * returns the states in input order. For offline work: training and evaluation.
     */
    public List<TokenStates> encodeSortedByLength(List<String> texts, int batchSize, Consumer<String> progress) {
        Integer[] order = new Integer[texts.size()];
        int[] lengths = new int[texts.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            lengths[i] = texts.get(i).length();
        }
        Arrays.sort(order, Comparator.comparingInt(i -> lengths[i]));
        TokenStates[] states = new TokenStates[texts.size()];
        long start = System.nanoTime();
        for (int from = 0; from < order.length; from += batchSize) {
            int to = Math.min(order.length, from + batchSize);
            List<String> batch = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                batch.add(texts.get(order[i]));
            }
            List<TokenStates> encoded = encode(batch);
            for (int i = from; i < to; i++) {
                states[order[i]] = encoded.get(i - from);
            }
            if ((from / batchSize) % 200 == 199) {
                double seconds = (System.nanoTime() - start) / 1e9;
                progress.accept(String.format("encoded %d/%d texts (%.0f texts/s)", to, texts.size(), to / seconds));
            }
        }
        return List.of(states);
    }

    /** Runs the rows through the model (and the heads on each call's states), as few calls as the token bound allows. */
    private void forwardInChunks(List<long[]> rows, BatchPass pass, HeadsGraph heads) {
        PaddedBatches.run(
                session,
                rows,
                null,
                0L,
                (call, output, manager) -> {
                    forwardPasses.incrementAndGet();
                    List<long[]> callRows = rows.subList(call.firstRow(), call.firstRow() + call.rows());
                    NDArray states = output.get(0);
                    states.setName(HeadsGraph.STATES);
                    if (heads != null) {
                        BatchPass.Chunk chunk = pass.chunk(call.firstRow(), call.rows(), call.width());
                        NDList headOutputs = heads.run(states, manager, chunk.items(heads));
                        for (NDArray head : headOutputs) {
                            String name = head.getName();
                            if (name.startsWith(HeadsGraph.TOKEN_PREFIX)) {
                                pass.keepTokenOutput(
                                        name, head.toFloatArray(), callRows, call.width(), call.firstRow());
                            } else if (name.startsWith(HeadsGraph.ITEM_PREFIX)) {
                                chunk.keepItemOutput(name, head.toFloatArray());
                            }
                        }
                    }
                    pass.keepStates(states.toFloatArray(), callRows, call.width(), call.firstRow());
                },
                "encoder " + modelId);
    }

    public String modelId() {
        return modelId;
    }

    /** SHA-256 of the ONNX file, hex. */
    public String weightsSha256() {
        return weightsSha256;
    }

    public Windowing windowing() {
        return windowing;
    }

    /** Engine name and version, e.g. "OnnxRuntime 1.21.1". */
    public String engineDescription() {
        Engine engine = session.engine();
        return engine.getEngineName() + " " + engine.getVersion();
    }

    /** The device the encoder really runs on: {@code cpu}, or {@code gpu:<index>} (CUDA). */
    public String device() {
        Device device = session.device();
        return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
    }

    /** Forward passes run so far; lets tests and metrics check that a batch costs one pass. */
    public long forwardPasses() {
        return forwardPasses.get();
    }

    @Override
    public void close() {
        session.close();
        tokenizer.close();
    }
}
