/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.TranslateException;
import java.util.Arrays;
import java.util.List;

/**
 * The one batch runner of every transformer graph Heed runs (the bundled encoder and users' Hugging Face exports): rows
 * of token ids go through the graph in as few calls as a bound on token positions allows, each call padded to its
 * longest row (not to a fixed length), fed exactly the inputs the graph declares. What a graph's outputs mean is the
 * caller's: each call's outputs are handed to it before they leave native memory.
 */
final class PaddedBatches {
    /** Most token positions (rows x padded width) sent to the engine in one call, to bound native memory. */
    static final int MAX_TOKENS_PER_PASS = 16_384;

    /** The inputs a transformer graph may declare; each is fed from the rows. */
    static final List<String> SUPPORTED_INPUTS = List.of("input_ids", "attention_mask", "token_type_ids");

    private PaddedBatches() {}

    /** One call's rows: {@code rows} rows from {@code firstRow}, padded to {@code width}. */
    record Call(int firstRow, int rows, int width) {}

    /** Reads one call's outputs; {@code manager} owns them and may hold arrays the reader creates for further graphs. */
    @FunctionalInterface
    interface Outputs {
        void read(Call call, NDList outputs, NDManager manager) throws TranslateException;
    }

    /**
     * Runs {@code ids} (one array per row) through {@code session}.
     *
     * @param typeIds token type ids per row, or null for zeros
     * @param padId   the id padding positions get (masked out either way)
     * @param what    the graph, for error messages
     */
    static void run(
            GraphSession session, List<long[]> ids, List<long[]> typeIds, long padId, Outputs outputs, String what) {
        int from = 0;
        while (from < ids.size()) {
            int to = from;
            int width = 0;
            while (to < ids.size()) {
                int candidate = Math.max(width, ids.get(to).length);
                if (to > from && (long) candidate * (to - from + 1) > MAX_TOKENS_PER_PASS) {
                    break;
                }
                width = candidate;
                to++;
            }
            call(session, ids, typeIds, padId, new Call(from, to - from, width), outputs, what);
            from = to;
        }
    }

    private static void call(
            GraphSession session,
            List<long[]> ids,
            List<long[]> typeIds,
            long padId,
            Call call,
            Outputs outputs,
            String what) {
        int width = call.width();
        long[] paddedIds = new long[call.rows() * width];
        long[] mask = new long[call.rows() * width];
        long[] paddedTypes = new long[call.rows() * width];
        if (padId != 0) {
            Arrays.fill(paddedIds, padId);
        }
        for (int b = 0; b < call.rows(); b++) {
            long[] row = ids.get(call.firstRow() + b);
            System.arraycopy(row, 0, paddedIds, b * width, row.length);
            if (typeIds != null) {
                System.arraycopy(typeIds.get(call.firstRow() + b), 0, paddedTypes, b * width, row.length);
            }
            Arrays.fill(mask, b * width, b * width + row.length, 1L);
        }
        Shape shape = new Shape(call.rows(), width);
        try (NDManager manager = session.newCallManager()) {
            NDList inputs = new NDList();
            for (String name : session.inputNames()) {
                long[] values = switch (name) {
                    case "input_ids" -> paddedIds;
                    case "attention_mask" -> mask;
                    default -> paddedTypes;
                };
                NDArray array = manager.create(values, shape);
                array.setName(name);
                inputs.add(array);
            }
            outputs.read(call, session.run(inputs), manager);
        } catch (TranslateException e) {
            throw new EncoderException(
                    "Forward pass of " + what + " failed for a batch of " + call.rows() + " x " + width, e);
        }
    }
}
