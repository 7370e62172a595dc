/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.tuning;

import ai.onnx.proto.OnnxMl.TensorProto;

/**
 * How ONNX Runtime's quantiser stored the bundled int8 encoder's weights, found from the numbers: re-quantising the fp32
 * weights this way reproduces every stored value and scale of the bundled file (see Int8EncoderTest). Both schemes are
 * symmetric: {@code scale = 2 max|w| / (qmax - qmin)} over one group (a column or the whole tensor), the zero point is the
 * middle of the range, and {@code q = clamp(rint(w / scale) + zeroPoint)} with the division in float32 and ties rounded
 * to even, as numpy does.
 */
enum QuantScheme {
    /**
     * Weights of {@code MatMulInteger}: int8 in the reduced 7-bit range [-64, 64] (ORT's {@code reduce_range}, meant to
     * avoid saturating u8 x s8 multiply-adds on CPUs without VNNI), zero point 0, i.e. {@code scale = max|w| / 64}.
     */
    MATMUL_WEIGHT(TensorProto.DataType.INT8, -64, 64, 0),
    /** Embedding tables read by {@code Gather} then {@code DequantizeLinear}: uint8 over [0, 255], zero point 128. */
    GATHER_TABLE(TensorProto.DataType.UINT8, 0, 255, 128);

    /** Quantised values, one byte each as ONNX stores int8/uint8 raw data, and one scale per group. */
    record Output(byte[] values, float[] scales) {}

    private final TensorProto.DataType type;
    private final int min;
    private final int max;
    private final int zeroPoint;

    QuantScheme(TensorProto.DataType type, int min, int max, int zeroPoint) {
        this.type = type;
        this.min = min;
        this.max = max;
        this.zeroPoint = zeroPoint;
    }

    TensorProto.DataType type() {
        return type;
    }

    int zeroPoint() {
        return zeroPoint;
    }

    /**
     * Quantises a row-major {@code [rows, columns]} matrix with one scale per column ({@code groups == columns}, what
     * ONNX calls per-channel on the output axis) or one for the whole tensor ({@code groups == 1}).
     */
    Output quantize(float[] values, int columns, int groups) {
        if (groups != 1 && groups != columns) {
            throw new IllegalArgumentException(groups + " scales for " + columns + " columns");
        }
        float[] absMax = new float[groups];
        for (int i = 0; i < values.length; i++) {
            int group = groups == 1 ? 0 : i % columns;
            absMax[group] = Math.max(absMax[group], Math.abs(values[i]));
        }
        float[] scales = new float[groups];
        for (int g = 0; g < groups; g++) {
            // Float arithmetic like the quantiser's float32 numpy: (max - min) / (qmax - qmin) with max = -min =
            // max|w|.
            float scale = 2 * absMax[g] / (float) (max - min);
            // An all-zero group gets scale 1 rather than 0, so nothing divides by zero; its values all quantise to 0.
            scales[g] = scale == 0 ? 1 : scale;
        }
        byte[] quantized = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            float scale = scales[groups == 1 ? 0 : i % columns];
            long q = (long) Math.rint(values[i] / scale) + zeroPoint;
            quantized[i] = (byte) Math.max(min, Math.min(max, q));
        }
        return new Output(quantized, scales);
    }

    /** A stored byte as the integer it means under this scheme's type. */
    int integer(byte stored) {
        return type == TensorProto.DataType.UINT8 ? stored & 0xff : stored;
    }

    /**
     * Whether stored values fit this scheme: all within its range, and some value of every group at the range's end
     * (the group's max|w| maps to {@code ±(qmax - qmin) / 2}). A file quantised with another range fails one of the two.
     */
    boolean fits(byte[] stored, int columns, int groups) {
        int[] extreme = new int[groups];
        for (int i = 0; i < stored.length; i++) {
            int q = integer(stored[i]);
            if (q < min || q > max) {
                return false;
            }
            int group = groups == 1 ? 0 : i % columns;
            extreme[group] = Math.max(extreme[group], Math.abs(q - zeroPoint));
        }
        for (int e : extreme) {
            if (e != 0 && e < max - zeroPoint) { // 0: an all-zero group, which has no extreme to check
                return false;
            }
        }
        return true;
    }
}
