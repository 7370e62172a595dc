/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

import org.apache.flink.annotation.PublicEvolving;

/**
 * Where Heed should run its encoder. The GPUs come from Flink's external resource framework: a TaskManager configured
 * with {@code external-resources: gpu} (and Flink's GPU driver) tells each task which GPU indices it was given.
 */
@PublicEvolving
public enum DevicePreference {
    /** A GPU if the TaskManager assigned one and ONNX Runtime can use it, else the CPU (logged once). */
    AUTO,
    /** Always the CPU, even on a GPU TaskManager. */
    CPU,
    /** A GPU is required: the operator fails to open without one, naming what is missing. */
    GPU
}
