/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models;

import java.io.Serializable;
import java.util.OptionalInt;

/**
 * Where the encoder runs: the CPU, or one GPU through ONNX Runtime's CUDA execution provider.
 *
 * <p>A GPU device is either required (loading fails when ONNX Runtime cannot use that GPU) or preferred (loading falls
 * back to the CPU with one log line). The fallback exists because the same job jar runs on CPU-only and GPU
 * TaskManagers: on a TaskManager without CUDA, or with the CPU build of ONNX Runtime, the job should still run.
 */
public final class InferenceDevice implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int CPU = -1;

    private final int gpuIndex;
    private final boolean cpuFallback;

    private InferenceDevice(int gpuIndex, boolean cpuFallback) {
        this.gpuIndex = gpuIndex;
        this.cpuFallback = cpuFallback;
    }

    public static InferenceDevice cpu() {
        return new InferenceDevice(CPU, false);
    }

    /** GPU {@code index}, required: loading fails if ONNX Runtime cannot run on it. */
    public static InferenceDevice gpu(int index) {
        return new InferenceDevice(checkIndex(index), false);
    }

    /** GPU {@code index} if ONNX Runtime can run on it, else the CPU. */
    public static InferenceDevice gpuOrCpu(int index) {
        return new InferenceDevice(checkIndex(index), true);
    }

    private static int checkIndex(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("GPU index must be >= 0, got " + index);
        }
        return index;
    }

    public boolean isGpu() {
        return gpuIndex != CPU;
    }

    /** CUDA device index; empty for the CPU. */
    public OptionalInt gpuIndex() {
        return isGpu() ? OptionalInt.of(gpuIndex) : OptionalInt.empty();
    }

    /** Whether a GPU that cannot be used falls back to the CPU. */
    public boolean cpuFallback() {
        return cpuFallback;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InferenceDevice other && gpuIndex == other.gpuIndex && cpuFallback == other.cpuFallback;
    }

    @Override
    public int hashCode() {
        return 31 * gpuIndex + (cpuFallback ? 1 : 0);
    }

    /** {@code cpu}, {@code gpu:0}, or {@code gpu:0|cpu} when the CPU is the fallback. */
    @Override
    public String toString() {
        return isGpu() ? "gpu:" + gpuIndex + (cpuFallback ? "|cpu" : "") : "cpu";
    }
}
