package io.heed.models.encoder;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A BERT-style transformer encoder run by DJL on ONNX Runtime: texts in, per-token hidden states out.
 *
 * <p>One call encodes a whole batch in a single forward pass, padded to the longest text of that batch (not to a
 * fixed length), so short texts do not pay for long ones when callers group texts by length. Not thread-safe: one
 * instance serves one caller thread (DJL predictors are not thread-safe).
 */
public final class TransformerEncoder implements AutoCloseable {
    private static final String ENGINE = "OnnxRuntime";

    static {
        // Run offline, and never let ONNX Runtime pull in another engine as a fallback: with PyTorch on the
        // classpath (training) it would otherwise unpack ~430 MB of natives.
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.setProperty("ai.djl.onnx.disable_alternative",
                System.getProperty("ai.djl.onnx.disable_alternative", "true"));
    }

    private final HuggingFaceTokenizer tokenizer;
    private final ZooModel<NDList, NDList> model;
    private final Predictor<NDList, NDList> predictor;
    private final NDManager manager;
    private final String modelId;
    private final String weightsSha256;
    private final int maxTokens;
    private final AtomicLong forwardPasses = new AtomicLong();

    private TransformerEncoder(HuggingFaceTokenizer tokenizer, ZooModel<NDList, NDList> model, String modelId,
            String weightsSha256, int maxTokens) {
        this.tokenizer = tokenizer;
        this.model = model;
        this.predictor = model.newPredictor();
        this.manager = model.getNDManager().newSubManager();
        this.modelId = modelId;
        this.weightsSha256 = weightsSha256;
        this.maxTokens = maxTokens;
    }

    /**
     * Loads the bundled encoder.
     *
     * @param variant         int8 or fp32
     * @param maxTokens       encoder window in tokens (special tokens included); longer texts are truncated
     * @param intraOpThreads  ONNX Runtime intra-op threads; 0 leaves ONNX Runtime's default (one per core)
     */
    public static TransformerEncoder load(EncoderVariant variant, int maxTokens, int intraOpThreads) {
        Objects.requireNonNull(variant, "variant");
        if (maxTokens < 8 || maxTokens > 512) {
            throw new IllegalArgumentException("maxTokens must be within [8, 512], got " + maxTokens);
        }
        ModelFiles.LocalFile onnx = ModelFiles.unpack(variant.onnxResource());
        ModelFiles.LocalFile tokenizerJson = ModelFiles.unpack(variant.tokenizerResource());
        HuggingFaceTokenizer tokenizer = loadTokenizer(tokenizerJson.path(), maxTokens);
        Criteria.Builder<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optEngine(ENGINE)
                .optModelPath(onnx.path())
                .optTranslator(new NoopTranslator());
        if (intraOpThreads > 0) {
            criteria.optOption("intraOpNumThreads", Integer.toString(intraOpThreads))
                    .optOption("interOpNumThreads", "1");
        }
        try {
            ZooModel<NDList, NDList> model = criteria.build().loadModel();
            return new TransformerEncoder(tokenizer, model, variant.modelId(), onnx.sha256(), maxTokens);
        } catch (IOException | ModelNotFoundException | MalformedModelException e) {
            tokenizer.close();
            throw new IllegalStateException("Cannot load encoder " + onnx.path() + ": " + e.getMessage(), e);
        }
    }

    private static HuggingFaceTokenizer loadTokenizer(Path tokenizerJson, int maxTokens) {
        try {
            // The shipped tokenizer.json pads and truncates to 128: we pad per batch ourselves instead.
            return HuggingFaceTokenizer.builder()
                    .optTokenizerPath(tokenizerJson)
                    .optPadding(false)
                    .optTruncation(true)
                    .optMaxLength(maxTokens)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load tokenizer " + tokenizerJson, e);
        }
    }

    /** Tokenises without running the model; cheap, used for batching by length. */
    public int tokenCount(String text) {
        return tokenizer.encode(text).getIds().length;
    }

    /**
     * Encodes texts in one forward pass.
     *
     * @return one {@link TokenStates} per text, in input order, trimmed to each text's tokens
     */
    public List<TokenStates> encode(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        Encoding[] encodings = tokenizer.batchEncode(texts);
        int batch = encodings.length;
        int width = 0;
        for (Encoding encoding : encodings) {
            width = Math.max(width, encoding.getIds().length);
        }
        long[] ids = new long[batch * width];
        long[] mask = new long[batch * width];
        long[] typeIds = new long[batch * width];
        for (int b = 0; b < batch; b++) {
            long[] tokenIds = encodings[b].getIds();
            System.arraycopy(tokenIds, 0, ids, b * width, tokenIds.length);
            for (int t = 0; t < tokenIds.length; t++) {
                mask[b * width + t] = 1;
            }
        }
        float[] hidden = forward(ids, mask, typeIds, batch, width);
        int hiddenSize = hidden.length / (batch * width);
        List<TokenStates> result = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            result.add(trim(encodings[b], hidden, b, width, hiddenSize));
        }
        return result;
    }

    private float[] forward(long[] ids, long[] mask, long[] typeIds, int batch, int width) {
        Shape shape = new Shape(batch, width);
        try (NDManager batchManager = manager.newSubManager()) {
            NDArray idArray = batchManager.create(ids, shape);
            idArray.setName("input_ids");
            NDArray maskArray = batchManager.create(mask, shape);
            maskArray.setName("attention_mask");
            NDArray typeArray = batchManager.create(typeIds, shape);
            typeArray.setName("token_type_ids");
            NDList output = predictor.predict(new NDList(idArray, maskArray, typeArray));
            forwardPasses.incrementAndGet();
            NDArray lastHidden = output.get(0);
            float[] values = lastHidden.toFloatArray();
            output.close();
            return values;
        } catch (TranslateException e) {
            throw new EncoderException("Encoder forward pass failed for a batch of " + batch + " x " + width, e);
        }
    }

    private static TokenStates trim(Encoding encoding, float[] hidden, int row, int width, int hiddenSize) {
        int length = encoding.getIds().length;
        float[] states = new float[length * hiddenSize];
        System.arraycopy(hidden, row * width * hiddenSize, states, 0, states.length);
        CharSpan[] spans = encoding.getCharTokenSpans();
        int[] starts = new int[length];
        int[] ends = new int[length];
        for (int t = 0; t < length; t++) {
            CharSpan span = t < spans.length ? spans[t] : null;
            if (span != null) {
                starts[t] = span.getStart();
                ends[t] = span.getEnd();
            }
        }
        return new TokenStates(states, hiddenSize, encoding.getTokens(), starts, ends, encoding.exceedMaxLength());
    }

    public String modelId() {
        return modelId;
    }

    /** SHA-256 of the ONNX file, hex. */
    public String weightsSha256() {
        return weightsSha256;
    }

    public int maxTokens() {
        return maxTokens;
    }

    /** Engine name and version, e.g. "OnnxRuntime 1.21.1". */
    public String engineDescription() {
        Engine engine = model.getNDManager().getEngine();
        return engine.getEngineName() + " " + engine.getVersion();
    }

    public String device() {
        return model.getNDManager().getDevice().toString();
    }

    /** Forward passes run so far; lets tests and metrics check that a batch costs one pass. */
    public long forwardPasses() {
        return forwardPasses.get();
    }

    @Override
    public void close() {
        predictor.close();
        manager.close();
        model.close();
        tokenizer.close();
    }
}
