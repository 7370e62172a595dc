/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.encoder;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SymbolBlock;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import ai.djl.util.PairList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * One loaded ONNX graph (one ONNX Runtime session) that several threads may run at once. ONNX Runtime's sessions take
 * concurrent runs; DJL's predictors do not, so each run borrows a predictor from a pool that grows to the number of
 * threads that ever ran the graph at the same time. Inputs and outputs live in a per-call manager ({@link
 * #newCallManager()}) that the caller closes; the graph's weights are loaded once whatever the number of threads.
 */
final class GraphSession implements AutoCloseable {
    private final ZooModel<NDList, NDList> model;
    private final NDManager manager;
    private final ConcurrentLinkedDeque<Predictor<NDList, NDList>> idle = new ConcurrentLinkedDeque<>();

    GraphSession(ZooModel<NDList, NDList> model) {
        this.model = model;
        this.manager = model.getNDManager().newSubManager();
    }

    /** A manager for one call's inputs and outputs; close it when the outputs have been read. */
    NDManager newCallManager() {
        return manager.newSubManager();
    }

    /** Runs the graph on the calling thread (and the session's intra-op threads); outputs live in the inputs' manager. */
    NDList run(NDList inputs) throws TranslateException {
        Predictor<NDList, NDList> predictor = idle.pollFirst();
        if (predictor == null) {
            predictor = model.newPredictor();
        }
        try {
            return predictor.predict(inputs);
        } finally {
            idle.addFirst(predictor);
        }
    }

    /** The graph's input names in its own order. */
    List<String> inputNames() {
        PairList<String, Shape> inputs = model.describeInput();
        return inputs == null ? List.of() : inputs.keys();
    }

    /** The graph's custom metadata (ONNX {@code metadata_props}). */
    Map<String, String> customMetadata() {
        return ((SymbolBlock) model.getBlock()).getCustomMetadata();
    }

    /** The engine that runs the graph. */
    Engine engine() {
        return model.getNDManager().getEngine();
    }

    /** The device the graph really runs on (after any fallback to the CPU). */
    Device device() {
        return model.getNDManager().getDevice();
    }

    @Override
    public void close() {
        Predictor<NDList, NDList> predictor;
        while ((predictor = idle.pollFirst()) != null) {
            predictor.close();
        }
        manager.close();
        model.close();
    }
}
