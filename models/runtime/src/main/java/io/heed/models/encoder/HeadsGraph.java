/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.encoder;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import io.heed.models.InferenceDevice;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The task heads' networks as one ONNX graph that ONNX Runtime runs on the encoder's output of the same batch: the
 * per-token and per-word matrix products of the heads run on its kernels instead of plain-Java loops, and the encoder's
 * states pass from one session to the other without leaving native memory. The graph is built at build time from the
 * heads' files (which stay the source of truth) by {@code io.heed.models.graph.HeadsGraphBuilder}; what is sequential
 * or tiny (attention softmax over a document, the CRF, offsets) stays in Java.
 *
 * <p>The contract between the graph and {@link TransformerEncoder}:
 *
 * <ul>
 *   <li>input {@value #STATES}: the encoder's output {@code [rows, width, hidden]};
 *   <li>outputs named {@value #TOKEN_PREFIX}{@code *} are per token {@code [rows, width, k]}: the encoder stitches
 *       them across a long text's windows exactly like the states;
 *   <li>inputs {@value #GATHER_INDEX} {@code [items]} (flat index {@code row * width + position} into the states) and
 *       {@value #GATHER_MASK} {@code [items, 1]} (0 where an item has no token), and further inputs named
 *       {@value #ITEM_PREFIX}{@code *} with {@code items} rows, describe the items a head gathers (the entity head's
 *       words); outputs named {@value #ITEM_PREFIX}{@code *} are one row per item.
 * </ul>
 *
 * Thread-safe: the encoder's concurrent calls run it concurrently ({@link GraphSession}).
 */
public final class HeadsGraph implements AutoCloseable {
    public static final String STATES = "last_hidden_state";
    public static final String GATHER_INDEX = "gather_index";
    public static final String GATHER_MASK = "gather_mask";
    public static final String TOKEN_PREFIX = "token.";
    public static final String ITEM_PREFIX = "item.";
    /**
     * Metadata key listing the graph's item inputs, {@code name:width:float|int64} separated by commas, so the encoder
     * can feed a masked dummy item to a graph whose item-reading head has nothing to read in a chunk.
     */
    public static final String ITEM_INPUTS_METADATA = "heed.item_inputs";

    private final GraphSession session;
    private final Set<String> inputs;
    private final ItemChunk emptyItem;

    private HeadsGraph(ZooModel<NDList, NDList> model) {
        this.session = new GraphSession(model);
        this.inputs = new TreeSet<>(session.inputNames());
        List<GatherItems.Feature> features = new ArrayList<>();
        String declared = session.customMetadata().getOrDefault(ITEM_INPUTS_METADATA, "");
        for (String input : declared.split(",")) {
            if (input.isBlank()) {
                continue;
            }
            String[] parts = input.split(":");
            int width = Integer.parseInt(parts[1]);
            features.add(
                    parts[2].equals("float")
                            ? GatherItems.Feature.ofFloats(parts[0], width, new float[width])
                            : GatherItems.Feature.ofLongs(parts[0], width, new long[width]));
        }
        if (readsItems() && features.size() != inputs.size() - 3) {
            throw new IllegalStateException("heads graph declares item inputs '" + declared + "' but has inputs "
                    + inputs + ": it was not built by HeadsGraphBuilder");
        }
        this.emptyItem = new ItemChunk(1, new long[1], new float[1], features);
    }

    /** Classpath resource of the heads graph built for the bundled heads of {@code weights}. */
    public static String resource(EncoderWeights weights) {
        return weights.headResource("io/heed/models/heads-graph.onnx");
    }

    /** Whether the heads graph for {@code weights} ships on the classpath (in {@code heed-models-weights}). */
    public static boolean bundled(EncoderWeights weights) {
        return HeadsGraph.class.getClassLoader().getResource(resource(weights)) != null;
    }

    /**
     * Loads the bundled heads graph of {@code weights} on {@code device}, or empty when it is not on the classpath.
     *
     * @param intraOpThreads the encoder's intra-op threads (0: the JVM's processors); the graph gets a quarter of them
     *     ({@link #threadsFor})
     */
    public static Optional<HeadsGraph> loadBundled(EncoderWeights weights, int intraOpThreads, InferenceDevice device) {
        if (!bundled(weights)) {
            return Optional.empty();
        }
        ModelFiles.LocalFile file = ModelFiles.unpack(resource(weights));
        try {
            return Optional.of(
                    new HeadsGraph(TransformerEncoder.loadOnDevice(file.path(), threadsFor(intraOpThreads), device)));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new IllegalStateException(
                    "Cannot load the heads graph " + file.path() + " on " + device + ": " + e.getMessage(), e);
        }
    }

    /**
     * Intra-op threads of the heads graph's session: a quarter of the encoder's, at least one. Its work is a small
     * fraction of the encoder's, and each ONNX Runtime session has a thread pool of its own: with one thread the
     * session has no workers at all. Measured on 2 cores while ONNX Runtime's workers still spin-waited (they no
     * longer do, see {@code TransformerEncoder.sessionOptions}): the heads graph cost less with one thread than two.
     * Without spinning, one and two threads gave the operator the same records/s (alternating runs).
     */
    static int threadsFor(int encoderThreads) {
        int threads = encoderThreads > 0 ? encoderThreads : Runtime.getRuntime().availableProcessors();
        return Math.max(1, threads / 4);
    }

    /** Whether the graph reads items ({@link #GATHER_INDEX}); the encoder feeds one masked dummy item if none. */
    boolean readsItems() {
        return inputs.contains(GATHER_INDEX);
    }

    /** One masked item of zeros, for a chunk in which no text has an item. */
    ItemChunk emptyItem() {
        return emptyItem;
    }

    /** Runs the heads on one chunk's states; outputs live in {@code manager}. */
    NDList run(NDArray states, NDManager manager, ItemChunk items) {
        NDList feed = new NDList(states);
        if (readsItems()) {
            NDArray index = manager.create(items.index, new Shape(items.count));
            index.setName(GATHER_INDEX);
            NDArray mask = manager.create(items.mask, new Shape(items.count, 1));
            mask.setName(GATHER_MASK);
            feed.add(index);
            feed.add(mask);
            for (GatherItems.Feature feature : items.features) {
                NDArray array = feature.floats() != null
                        ? manager.create(feature.floats(), new Shape(items.count, feature.width()))
                        : manager.create(feature.longs(), new Shape(items.count, feature.width()));
                array.setName(feature.name());
                feed.add(array);
            }
        }
        try {
            return session.run(feed);
        } catch (TranslateException e) {
            throw new EncoderException("Heads graph failed for a chunk of " + items.count + " items", e);
        }
    }

    /** The items of one forward chunk, flattened: one row per item, features concatenated in item order. */
    record ItemChunk(int count, long[] index, float[] mask, List<GatherItems.Feature> features) {}

    @Override
    public void close() {
        session.close();
    }
}
