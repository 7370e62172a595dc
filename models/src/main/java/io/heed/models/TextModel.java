package io.heed.models;

import io.heed.models.encoder.TokenStates;
import io.heed.models.encoder.TransformerEncoder;
import io.heed.models.entities.EntityHead;
import io.heed.models.sentiment.SentimentHead;
import io.heed.models.summary.Summarizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The bundled encoder plus the enabled task heads. {@link #analyze(List)} runs the encoder once for the whole batch
 * and every enabled head on the same token states, so enabling more tasks costs little more than one.
 *
 * <p>Not thread-safe (the encoder's predictor is not); one instance per caller thread.
 */
public final class TextModel implements AutoCloseable {
    private final TransformerEncoder encoder;
    /** Null when the task is not enabled. */
    private final SentimentHead sentimentHead;
    private final EntityHead entityHead;
    private final Summarizer summarizer;
    private final ModelInfo info;

    private TextModel(TransformerEncoder encoder, SentimentHead sentimentHead, EntityHead entityHead,
            Summarizer summarizer) {
        this.encoder = encoder;
        this.sentimentHead = sentimentHead;
        this.entityHead = entityHead;
        this.summarizer = summarizer;
        String modelId = encoder.modelId();
        String weights = encoder.weightsSha256();
        if (sentimentHead != null) {
            modelId += "+sentiment-attention-v1";
            weights += sentimentHead.sha256();
        }
        if (entityHead != null) {
            modelId += "+entities-crf-v1";
            weights += entityHead.sha256();
        }
        if (summarizer != null) {
            // Parameter-free: no weights of its own.
            modelId += "+summary-attention-v1";
        }
        this.info = new ModelInfo(modelId, Sha256.hex(weights.getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                encoder.engineDescription(), encoder.device());
    }

    /**
     * Loads the encoder and heads the spec asks for. Fails here, with a message naming the file and the problem,
     * rather than on every record later.
     */
    public static TextModel load(ModelSpec spec) {
        Set<Task> tasks = spec.tasks();
        SentimentHead head = null;
        if (tasks.contains(Task.SENTIMENT)) {
            head = spec.sentimentHeadPath().map(p -> SentimentHead.read(Path.of(p))).orElseGet(SentimentHead::bundled);
        }
        EntityHead entityHead = tasks.contains(Task.ENTITIES) ? EntityHead.bundled() : null;
        Summarizer summarizer = tasks.contains(Task.SUMMARY)
                ? Summarizer.builder().maxSentences(spec.summarySentences()).build()
                : null;
        TransformerEncoder encoder = TransformerEncoder.load(spec.encoder(), spec.windowing(), spec.intraOpThreads(),
                spec.device());
        try {
            int width = encoder.encode(List.of("probe")).get(0).hiddenSize();
            if (head != null && width != head.hiddenSize()) {
                throw new IllegalStateException("Sentiment head " + spec.sentimentHeadPath().orElse("(bundled)")
                        + " expects encoder states of width " + head.hiddenSize() + " but encoder "
                        + encoder.modelId() + " produces " + width);
            }
            if (entityHead != null && width != entityHead.hiddenSize()) {
                throw new IllegalStateException("Entity head expects encoder states of width "
                        + entityHead.hiddenSize() + " but encoder " + encoder.modelId() + " produces " + width);
            }
            return new TextModel(encoder, head, entityHead, summarizer);
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
    }

    /**
     * Analyses texts with one encoder pass for the whole list; results are in input order. The heads then run on the
     * texts in parallel: they are plain Java, one text at a time, and the encoder's own threads are idle by then.
     */
    public List<TextAnalysis> analyze(List<String> texts) {
        List<TokenStates> states = encoder.encode(texts);
        TextAnalysis[] results = new TextAnalysis[states.size()];
        IntStream.range(0, results.length).parallel()
                .forEach(i -> results[i] = runHeads(texts.get(i), states.get(i)));
        return List.of(results);
    }

    private TextAnalysis runHeads(String text, TokenStates states) {
        return new TextAnalysis(states.length(), states.truncated(),
                sentimentHead == null ? Optional.empty() : Optional.of(sentimentHead.predict(states)),
                entityHead == null ? List.of() : entityHead.predict(text, states),
                summarizer == null ? Optional.empty() : Optional.of(summarizer.summarize(text, states)));
    }

    /** Encoder tokens of a text without running the model (for batching by length). */
    public int tokenCount(String text) {
        return encoder.tokenCount(text);
    }

    public ModelInfo info() {
        return info;
    }

    /** Encoder forward passes so far. */
    public long encoderPasses() {
        return encoder.forwardPasses();
    }

    @Override
    public void close() {
        encoder.close();
    }
}
